import type { Recorder } from '@loket/testkit';

export { type Recorder, recordingContext } from '@loket/testkit';

import { type ChannelSessionStore, type ChannelStatus, MemoryChannelSessionStore } from '@loket/core';
import type { FakeInstagram, FakeInstagramUser } from '@loket/testkit';
import {
  createInstagramChannel,
  type InstagramChannel,
  type InstagramChannelConfig,
  SESSION_NAMESPACE,
} from '../src/index.ts';

/** Short waits so poll, retry and backoff paths run in milliseconds; the production defaults are seconds. */
export const fastBackoff = { initialDelayMs: 20, maxDelayMs: 200 };
export const FAST_POLL_MS = 30;

export const siti: FakeInstagramUser = {
  pk: '51234567890',
  username: 'siti.rahayu',
  fullName: 'Siti Rahayu',
};
/** A pk beyond 2^53: it only survives as a string through json-bigint. */
export const budi: FakeInstagramUser = { pk: '63124587945612378', username: 'budi_s', fullName: '' };

export function states(recorder: Recorder): string[] {
  return recorder.statuses.map((status) => status.state);
}

export function lastStatus(recorder: Recorder): ChannelStatus | undefined {
  return recorder.statuses.at(-1);
}

export function fakeChannel(
  fake: FakeInstagram,
  session: ChannelSessionStore,
  overrides: Partial<InstagramChannelConfig> = {},
): InstagramChannel {
  return createInstagramChannel({
    username: fake.account.username,
    password: fake.account.password,
    session,
    apiRoot: fake.apiRoot,
    pollIntervalMs: FAST_POLL_MS,
    backoff: fastBackoff,
    challengeRetryMs: 50,
    ...overrides,
  });
}

export type SavedState = { authorization?: string; cookies: string; constants?: unknown; deviceId?: string };

/** The instagram-private-api state the adapter saved, as the next start will read it. */
export function savedState(store: MemoryChannelSessionStore): SavedState | undefined {
  const text = store.data.get(SESSION_NAMESPACE)?.get('session');
  if (text === undefined) return undefined;
  return (JSON.parse(text) as { state: SavedState }).state;
}

export function savedCookie(store: MemoryChannelSessionStore, name: string): string | undefined {
  const state = savedState(store);
  if (!state) return undefined;
  const jar = JSON.parse(state.cookies) as { cookies: { key: string; value: string }[] };
  return jar.cookies.find((cookie) => cookie.key === name)?.value;
}

export function savedCursor(store: MemoryChannelSessionStore, threadId: string) {
  const text = store.data.get(SESSION_NAMESPACE)?.get(`cursor:${threadId}`);
  return text === undefined ? undefined : (JSON.parse(text) as { timestamp: string; itemId: string });
}

/** Tracks channels and stores so afterEach can stop whatever a test started. */
export class Started {
  private readonly channels: InstagramChannel[] = [];
  track(channel: InstagramChannel): InstagramChannel {
    this.channels.push(channel);
    return channel;
  }
  async stopAll(): Promise<void> {
    await Promise.all(this.channels.splice(0).map((channel) => channel.stop()));
  }
}

export function newStore(): MemoryChannelSessionStore {
  return new MemoryChannelSessionStore();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
