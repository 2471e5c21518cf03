import type { IgApiClient } from 'instagram-private-api';
import { abortable } from './abort.ts';
import { createClient, pinApiRoot } from './api-root.ts';
import { classifyIgError } from './errors.ts';
import type { SessionState } from './session.ts';
import type { InstagramLogger } from './types.ts';

export type Account = { pk: string; username: string };

/** A client with a working session. `fresh` until its first poll succeeds: see run.ts. */
export type LiveSession = { ig: IgApiClient; account: Account; fresh: boolean };

export type ConnectDeps = {
  username: string;
  password: string;
  apiRoot: string;
  sessionState: SessionState;
  signal: AbortSignal;
  logger: InstagramLogger;
};

function accountOf(user: { pk: unknown; username?: unknown }, fallbackUsername: string): Account {
  return {
    pk: String(user.pk),
    username: typeof user.username === 'string' ? user.username : fallbackUsername,
  };
}

/**
 * The saved session, if Instagram still honours it. `current_user` is the cheapest call that proves
 * it and names the account; a `login_required` answer means it is dead and is forgotten. Any other
 * failure (network, rate limit, checkpoint) propagates, so a passing outage does not cost a login.
 */
async function restore(deps: ConnectDeps): Promise<LiveSession | undefined> {
  const saved = await deps.sessionState.load();
  if (!saved) return undefined;
  const ig = createClient(deps.username, deps.apiRoot);
  await ig.state.deserialize(saved);
  // A state saved by other code may carry `constants`, which deserialize puts back over the pin.
  pinApiRoot(ig, deps.apiRoot);
  try {
    const user = await abortable(ig.account.currentUser(), deps.signal);
    deps.logger.info({ username: user.username }, 'Instagram session restored');
    return { ig, account: accountOf(user, deps.username), fresh: false };
  } catch (error) {
    if (classifyIgError(error).kind !== 'login_required') throw error;
    deps.logger.info({}, 'saved Instagram session was logged out; logging in again');
    await deps.sessionState.forget();
    return undefined;
  }
}

/** A fresh login on a fresh client (so no cookie of a dead session rides along), saved at once. */
async function login(deps: ConnectDeps): Promise<LiveSession> {
  const ig = createClient(deps.username, deps.apiRoot);
  const user = await abortable(ig.account.login(deps.username, deps.password), deps.signal);
  deps.logger.info({ username: user.username }, 'Instagram login succeeded');
  await deps.sessionState.save(ig, { force: true });
  return { ig, account: accountOf(user, deps.username), fresh: true };
}

/** Restores the saved session or logs in. Instagram's errors propagate for the caller to classify. */
export async function connect(deps: ConnectDeps): Promise<LiveSession> {
  return (await restore(deps)) ?? (await login(deps));
}
