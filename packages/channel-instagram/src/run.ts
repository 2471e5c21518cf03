import { backoffDelay, type ChannelStartContext, type StatusReporter, sleepUnlessAborted } from '@loket/core';
import { AbortedError, withJitter } from './abort.ts';
import { connect, type LiveSession } from './connect.ts';
import { classifyIgError, type IgFailure } from './errors.ts';
import { PollMemory, pollOnce } from './poll.ts';
import type { SessionState, ThreadCursors } from './session.ts';
import type { InstagramLogger, MediaFetcher, RetryBackoff } from './types.ts';

export type RunDeps = {
  username: string;
  password: string;
  apiRoot: string;
  pollIntervalMs: number;
  challengeRetryMs: number;
  approveRequests: boolean;
  backoff: RetryBackoff;
  sessionState: SessionState;
  cursors: ThreadCursors;
  fetchMedia: MediaFetcher;
  logger: InstagramLogger;
  ctx: ChannelStartContext;
  signal: AbortSignal;
  report: StatusReporter;
  /** The session send() uses; undefined while there is none. */
  setSession(session: LiveSession | undefined): void;
  /** Called once the first login attempt has an outcome; start() resolves then. */
  ready(): void;
};

/**
 * Fresh logins allowed per hour after Instagram ended a working session. Instagram reads a stream of
 * logins as an attack; past this, a person should look at the account.
 */
const MAX_RELOGINS_PER_HOUR = 3;

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

function minutes(ms: number): string {
  const value = Math.max(1, Math.round(ms / 60_000));
  return value === 1 ? '1 minute' : `${value} minutes`;
}

/** The admin-facing sentences for the states a person has to resolve. */
function needsPerson(
  failure: IgFailure,
  deps: RunDeps,
): { state: 'needs_login' | 'challenge_required'; detail: string } {
  const account = `@${deps.username}`;
  if (failure.kind === 'two_factor') {
    return {
      state: 'challenge_required',
      detail:
        `Two-factor authentication is on for ${account} and Loket cannot type its codes. Turn it off ` +
        '(Instagram app › Settings › Accounts Center › Password and security › Two-factor authentication), then restart the channel.',
    };
  }
  if (failure.kind === 'challenge') {
    return {
      state: 'challenge_required',
      detail:
        `Instagram wants to confirm the login of ${account}. Open the Instagram app on the office phone, ` +
        `tap "This was me" to approve the login; Loket tries again every ${minutes(deps.challengeRetryMs)}.`,
    };
  }
  if (failure.kind === 'bad_credentials') {
    return {
      state: 'needs_login',
      detail: `${failure.description} (${account}). Correct the Instagram username and password in the server configuration and restart the channel.`,
    };
  }
  return {
    state: 'needs_login',
    detail:
      `Instagram keeps logging ${account} out, even right after a fresh login. Log in to the account in the ` +
      'Instagram app to see what Instagram asks for, then restart the channel.',
  };
}

/**
 * One start→stop lifetime: log in (restoring the saved session when Instagram still honours it),
 * then poll until stopped. Every failure becomes a status: passing ones (network, 5xx, 429) are
 * retried with growing waits; a checkpoint is retried slowly while the admin approves the login;
 * ones only a person can fix (wrong password, two-factor, a session Instagram keeps ending) end the
 * run with `needs_login` or `challenge_required`. Never throws.
 */
export async function runChannel(deps: RunDeps): Promise<void> {
  const { signal, report, logger } = deps;
  const memory = new PollMemory();
  let session: LiveSession | undefined;
  let failures = 0;
  const relogins: number[] = [];
  const connected = () => `logged in as @${session?.account.username ?? deps.username}`;

  report('starting');
  while (!signal.aborted) {
    let waitMs: number;
    try {
      if (!session) {
        session = await connect({ ...deps });
        deps.setSession(session);
        failures = 0;
        report('connected', connected());
        deps.ready();
      }
      await pollOnce({
        ig: session.ig,
        ownPk: session.account.pk,
        ctx: deps.ctx,
        signal,
        cursors: deps.cursors,
        approveRequests: deps.approveRequests,
        fetchMedia: deps.fetchMedia,
        backoff: deps.backoff,
        logger,
        memory,
      });
      session.fresh = false;
      failures = 0;
      report('connected', connected());
      await deps.sessionState.save(session.ig).catch((error: unknown) => {
        logger.warn({ reason: String(error) }, 'saving the Instagram session failed');
      });
      waitMs = withJitter(deps.pollIntervalMs);
    } catch (error) {
      if (error instanceof AbortedError || signal.aborted) break;
      const failure = classifyIgError(error);
      logger.warn({ kind: failure.kind, reason: failure.description }, 'Instagram call failed');
      const hourAgo = Date.now() - 3_600_000;
      const reloginsThisHour = relogins.filter((at) => at > hourAgo).length;
      if (
        failure.kind === 'bad_credentials' ||
        failure.kind === 'two_factor' ||
        (failure.kind === 'login_required' &&
          (!session || session.fresh || reloginsThisHour >= MAX_RELOGINS_PER_HOUR))
      ) {
        const { state, detail } = needsPerson(failure, deps);
        report(state, detail);
        logger.error({ state }, 'Instagram channel needs a person');
        deps.setSession(undefined);
        deps.ready();
        return;
      }
      if (failure.kind === 'login_required') {
        // A session that worked before died (a password change, Instagram's own logout): log in anew.
        await deps.sessionState.forget().catch(() => {});
        relogins.push(Date.now());
        session = undefined;
        deps.setSession(undefined);
        report('connecting', 'Instagram ended the session; logging in again');
        continue;
      }
      failures += 1;
      if (failure.kind === 'challenge') {
        waitMs = deps.challengeRetryMs;
        const { state, detail } = needsPerson(failure, deps);
        report(state, detail);
      } else if (failure.kind === 'rate_limited' || failure.kind === 'action_blocked') {
        // Rate limits are not network trouble: the account stays logged in, polling just pauses.
        const grown = Math.max(deps.pollIntervalMs, deps.backoff.initialDelayMs) * 2 ** failures;
        waitMs =
          failure.retryAfter !== undefined
            ? failure.retryAfter * 1000
            : Math.min(deps.backoff.maxDelayMs, grown);
        const what =
          failure.kind === 'rate_limited'
            ? 'rate-limited by Instagram'
            : 'actions blocked by Instagram as spam';
        if (session) report('connected', `${connected()}; ${what}, next poll in ${seconds(waitMs)}`);
        else report('connecting', `${what}; next login attempt in ${seconds(waitMs)}`);
      } else if (failure.kind === 'network' || failure.kind === 'server') {
        waitMs = backoffDelay(failures, deps.backoff);
        report('disconnected', `${failure.description}; retrying in ${seconds(waitMs)}`);
      } else {
        waitMs = backoffDelay(failures, deps.backoff);
        report('error', `${failure.description}; retrying in ${seconds(waitMs)}`);
      }
      deps.ready();
    }
    if (!(await sleepUnlessAborted(waitMs, signal))) break;
  }
  deps.setSession(undefined);
  deps.ready();
  report('disconnected', 'stopped');
}
