import { backoffDelay, type StatusReporter, sleepUnlessAborted } from '@loket/core';
import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { classifyTelegramError, type TelegramFailure } from './errors.ts';
import type { RetryBackoff, TelegramLogger } from './types.ts';

/**
 * Edits are asked for only so they can be counted as skipped; the other kinds would be noise. The
 * adapter still skips anything else Telegram sends (allowed_updates does not reach back in time).
 */
export const ALLOWED_UPDATES = ['message', 'edited_message'] as const;

type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/**
 * Telegraf types `signal` as the abort-controller polyfill's class; node-fetch underneath checks only
 * that it is an AbortSignal, which Node's own is.
 */
export function asTelegrafSignal(signal: AbortSignal): TelegrafSignal {
  return signal as unknown as TelegrafSignal;
}

/** What a fatal failure means to the admin looking at the channel's status. */
export function describeFatal(failure: TelegramFailure): string {
  if (failure.code === 'UNAUTHORIZED') return `Telegram rejected the bot token (${failure.description})`;
  if (failure.code === 'CONFLICT') {
    return `another poller or a webhook is using this bot (${failure.description})`;
  }
  return failure.description;
}

export class FatalTelegramError extends Error {
  readonly failure: TelegramFailure;
  constructor(failure: TelegramFailure, cause: unknown) {
    super(describeFatal(failure), { cause });
    this.failure = failure;
  }
}

type RetryContext = {
  signal: AbortSignal;
  backoff: RetryBackoff;
  report: StatusReporter;
  logger: TelegramLogger;
};

/**
 * Runs a Bot API call until it succeeds, waiting out retryable failures (Telegram's retry_after for a
 * 429, growing backoff otherwise). Throws FatalTelegramError for failures retrying cannot fix, and
 * the abort error when stopped.
 */
export async function callWithRetries<T>(
  what: string,
  call: () => Promise<T>,
  context: RetryContext,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (context.signal.aborted) throw error;
      const failure = classifyTelegramError(error);
      if (!failure.retryable) throw new FatalTelegramError(failure, error);
      const delay =
        failure.retryAfter === undefined ? backoffDelay(attempt, context.backoff) : failure.retryAfter * 1000;
      if (failure.code !== 'RATE_LIMITED')
        context.report('connecting', `${what} failed: ${failure.description}`);
      context.logger.warn(
        { what, code: failure.code, attempt, delayMs: delay },
        'Telegram call failed; retrying',
      );
      if (!(await sleepUnlessAborted(delay, context.signal))) throw error;
    }
  }
}

/** Settles with the promise, or with 'aborted' as soon as the signal fires, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Stores one update, retrying with capped backoff while the store fails. Resolves true once stored,
 * false if stopped first: the caller must then not confirm the update. A store still running at stop
 * is left to finish on its own, so stop() stays prompt; should it succeed, the update is redelivered
 * after a restart and the core drops it as a duplicate.
 */
export async function storeWithRetries(store: () => Promise<void>, updateId: number, context: RetryContext) {
  for (let attempt = 1; !context.signal.aborted; attempt += 1) {
    try {
      if ((await untilAborted(store(), context.signal)) === 'aborted') return false;
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      context.logger.warn({ updateId, attempt, reason }, 'storing a Telegram update failed; retrying');
      if (!(await sleepUnlessAborted(backoffDelay(attempt, context.backoff), context.signal))) return false;
    }
  }
  return false;
}

export type PollLoopOptions = RetryContext & {
  telegram: Telegram;
  timeoutSeconds: number;
  /** Resolves true once the update is stored or deliberately skipped, false when stopped before that. */
  handleUpdate(update: Update): Promise<boolean>;
};

/**
 * The getUpdates loop. Updates are handled one at a time, in order, and the offset moves past an update
 * only after it was handled, so Telegram keeps (and after a restart redelivers) anything not stored.
 * Ends when the signal aborts or on a fatal failure, which it reports as status 'error'.
 */
export async function runPollingLoop(options: PollLoopOptions): Promise<void> {
  const { telegram, signal, report, logger } = options;
  let offset: number | undefined;
  let failures = 0;
  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await telegram.callApi(
        'getUpdates',
        {
          // Right after a failure, a short poll shows at once whether Telegram is reachable again,
          // instead of leaving the status at 'disconnected' for a whole long-poll timeout.
          timeout: failures > 0 ? 0 : options.timeoutSeconds,
          allowed_updates: ALLOWED_UPDATES,
          ...(offset === undefined ? {} : { offset }),
        },
        { signal: asTelegrafSignal(signal) },
      );
    } catch (error) {
      if (signal.aborted) return;
      const failure = classifyTelegramError(error);
      if (!failure.retryable) {
        report('error', describeFatal(failure));
        logger.error({ code: failure.code, status: failure.httpStatus }, 'Telegram polling stopped');
        return;
      }
      failures += 1;
      const delay =
        failure.retryAfter === undefined
          ? backoffDelay(failures, options.backoff)
          : failure.retryAfter * 1000;
      if (failure.code !== 'RATE_LIMITED')
        report('disconnected', `getUpdates failed: ${failure.description}`);
      logger.warn({ code: failure.code, attempt: failures, delayMs: delay }, 'getUpdates failed; retrying');
      if (!(await sleepUnlessAborted(delay, signal))) return;
      continue;
    }

    failures = 0;
    report('connected');
    for (const update of updates) {
      if (offset !== undefined && update.update_id < offset) continue;
      if (!(await options.handleUpdate(update))) return;
      offset = update.update_id + 1;
    }
  }
}
