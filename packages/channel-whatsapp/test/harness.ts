import type { Recorder } from '@loket/testkit';

export { type Recorder, recordingContext } from '@loket/testkit';

import { type ChannelSessionStore, type ChannelStatus, MemoryChannelSessionStore } from '@loket/core';
import type { FakeWhatsApp } from '@loket/testkit';
import type { AuthenticationCreds } from '@whiskeysockets/baileys';
import { CREDS_KEY, deserializeSessionValue, serializeSessionValue } from '../src/auth-state.ts';
import { createWhatsAppChannel, type WhatsAppChannel, type WhatsAppChannelConfig } from '../src/index.ts';

/** Short waits so retry and reconnect paths run in milliseconds; the production defaults are seconds. */
export const fastBackoff = { initialDelayMs: 20, maxDelayMs: 200 };

export const CITIZEN_LID = '201234567890123@lid';
export const CITIZEN_PN = '6281311112222@s.whatsapp.net';

export function states(recorder: Recorder): string[] {
  return recorder.statuses.map((status) => status.state);
}

export function lastStatus(recorder: Recorder): ChannelStatus | undefined {
  return recorder.statuses.at(-1);
}

/** A session store that already holds a linked device, the way the gateway's database would. */
export async function linkedSession(creds: AuthenticationCreds): Promise<MemoryChannelSessionStore> {
  const store = new MemoryChannelSessionStore();
  await store.set('whatsapp', { [CREDS_KEY]: serializeSessionValue(creds) });
  return store;
}

export async function storedCreds(store: ChannelSessionStore): Promise<AuthenticationCreds | undefined> {
  const text = (await store.get('whatsapp', [CREDS_KEY])).get(CREDS_KEY);
  return text === undefined ? undefined : deserializeSessionValue<AuthenticationCreds>(text);
}

export function fakeChannel(
  fake: FakeWhatsApp,
  session: ChannelSessionStore,
  overrides: Partial<WhatsAppChannelConfig> = {},
): WhatsAppChannel {
  return createWhatsAppChannel({
    session,
    waWebSocketUrl: fake.url,
    fireInitQueries: false,
    backoff: fastBackoff,
    // Pacing has its own unit test; here it would only make the tests slow.
    pacing: { perChatIntervalMs: 0, globalPerMinute: 10_000 },
    ...overrides,
  });
}
