import type { FakeInstagramUser } from './threads.ts';

/** The account the adapter logs in as. */
export type FakeInstagramAccount = { username: string; password: string; pk: string; fullName: string };

export type FakeInstagramOptions = { account?: Partial<FakeInstagramAccount> };

/** A thread id, or a person: their one-to-one thread (created in the main inbox when missing). */
export type ThreadTarget = string | FakeInstagramUser;

export type PushOptions = {
  /** Backdates the item; by default it is sent now. */
  at?: Date;
  /** The sender in a group thread; a one-to-one thread's sender is its other participant. */
  from?: FakeInstagramUser;
};

export type PushedItem = { threadId: string; itemId: string; timestamp: string };

/** What the account sent through the API. */
export type SentItem = {
  threadId: string;
  kind: 'text' | 'link' | 'photo';
  itemId: string;
  text?: string;
  linkUrls?: string[];
  photo?: Uint8Array;
  at: Date;
};

/** Every request the fake answered, in order. */
export type FakeInstagramRequest = {
  method: string;
  path: string;
  query: Record<string, string>;
  at: Date;
};

/**
 * An answer the fake gives instead of the real one: HTTP 429 with Instagram's "Please wait a few
 * minutes", a `feedback_required` spam block, a 403 `login_required` (the session stays valid for
 * later calls), a 500 HTML page, or a connection reset mid-request.
 */
export type InstagramFailure = 'rate_limit' | 'spam' | 'login_required' | 'server_error' | 'connection_reset';

/** Where the next logins or API calls stop: a checkpoint ("was this you?"), or two-factor on login. */
export type ChallengeKind = 'login_checkpoint' | 'api_checkpoint' | 'two_factor';
