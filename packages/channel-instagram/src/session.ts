import type { ChannelSessionStore } from '@loket/core';
import type { IgApiClient } from 'instagram-private-api';
import { dateToMicros, parsePosition } from './cursor.ts';
import type { InstagramLogger, ItemPosition } from './types.ts';

export const SESSION_NAMESPACE = 'instagram';
const STATE_KEY = 'session';
const BASELINE_KEY = 'baseline';
const cursorKey = (threadId: string) => `cursor:${threadId}`;

/** Cookies' expiry moves on every answer; unchanged values are still written back this often. */
const RESAVE_INTERVAL_MS = 60 * 60 * 1000;

type SavedSession = { username: string; state: Record<string, unknown> };

/** What identifies a session: the authorization header and the cookie values, not their expiry. */
function fingerprint(state: Record<string, unknown>): string {
  let cookies: string[] = [];
  try {
    const jar = JSON.parse(String(state.cookies ?? '{}')) as { cookies?: { key: string; value: string }[] };
    cookies = (jar.cookies ?? []).map((cookie) => `${cookie.key}=${cookie.value}`).sort();
  } catch {
    cookies = [String(state.cookies)];
  }
  return `${String(state.authorization ?? '')}\n${cookies.join('\n')}`;
}

/**
 * The logged-in session (instagram-private-api's serialized state: device, cookies, authorization),
 * kept so a restart does not log in again. Instagram treats frequent fresh logins as suspicious.
 */
export class SessionState {
  private lastFingerprint: string | undefined;
  private lastSavedAt = 0;

  constructor(
    private readonly store: ChannelSessionStore,
    private readonly username: string,
    private readonly logger: InstagramLogger,
  ) {}

  /** The saved state for this username, or undefined (none, unreadable, or another account's). */
  async load(): Promise<Record<string, unknown> | undefined> {
    const text = (await this.store.get(SESSION_NAMESPACE, [STATE_KEY])).get(STATE_KEY);
    if (text === undefined) return undefined;
    try {
      const saved = JSON.parse(text) as SavedSession;
      if (saved.username !== this.username || typeof saved.state !== 'object') return undefined;
      this.lastFingerprint = fingerprint(saved.state);
      return saved.state;
    } catch {
      this.logger.warn({}, 'saved Instagram session is unreadable; logging in again');
      return undefined;
    }
  }

  /** Saves the client's state when its session changed, or after an hour regardless. */
  async save(ig: IgApiClient, options: { force?: boolean } = {}): Promise<void> {
    const state = (await ig.state.serialize()) as Record<string, unknown>;
    // The library's README: constants describe the library version, not the session; a restored
    // copy would pin an old app version (and, here, the API root) over the running one.
    delete state.constants;
    const print = fingerprint(state);
    const stale = Date.now() - this.lastSavedAt > RESAVE_INTERVAL_MS;
    if (!options.force && !stale && print === this.lastFingerprint) return;
    const saved: SavedSession = { username: this.username, state };
    await this.store.set(SESSION_NAMESPACE, { [STATE_KEY]: JSON.stringify(saved) });
    this.lastFingerprint = print;
    this.lastSavedAt = Date.now();
  }

  /** Instagram ended the session: the next start must log in, not restore it. */
  async forget(): Promise<void> {
    await this.store.set(SESSION_NAMESPACE, { [STATE_KEY]: null });
    this.lastFingerprint = undefined;
  }
}

/**
 * Per-thread cursors: the newest item handed over (or deliberately skipped) in each thread. A thread
 * without one starts at the baseline, the time of the very first start, so the history from before
 * Loket is not replayed into tickets while first contacts made after it are taken in whole.
 */
export class ThreadCursors {
  private readonly cache = new Map<string, ItemPosition>();
  private baselineCursor: ItemPosition | undefined;

  constructor(private readonly store: ChannelSessionStore) {}

  async baseline(): Promise<ItemPosition> {
    if (this.baselineCursor) return this.baselineCursor;
    const saved = (await this.store.get(SESSION_NAMESPACE, [BASELINE_KEY])).get(BASELINE_KEY);
    let timestamp = saved !== undefined && /^\d+$/.test(saved) ? saved : undefined;
    if (timestamp === undefined) {
      timestamp = dateToMicros(new Date());
      await this.store.set(SESSION_NAMESPACE, { [BASELINE_KEY]: timestamp });
    }
    this.baselineCursor = { timestamp, itemId: '' };
    return this.baselineCursor;
  }

  async get(threadId: string): Promise<ItemPosition> {
    const cached = this.cache.get(threadId);
    if (cached) return cached;
    const key = cursorKey(threadId);
    const saved = parsePosition((await this.store.get(SESSION_NAMESPACE, [key])).get(key));
    const cursor = saved ?? (await this.baseline());
    this.cache.set(threadId, cursor);
    return cursor;
  }

  /** Moves the thread's cursor to `position`, in memory first so a failing store cannot cause a replay now. */
  async advance(threadId: string, position: ItemPosition): Promise<void> {
    this.cache.set(threadId, position);
    await this.store.set(SESSION_NAMESPACE, { [cursorKey(threadId)]: JSON.stringify(position) });
  }
}
