import {
  backoffDelay,
  ChannelError,
  type ChannelStartContext,
  createStatusReporter,
  type StatusReporter,
  sleepUnlessAborted,
} from '@loket/core';
import type { MetaChannelName } from './errors.ts';
import type { MetaLogger, RetryBackoff } from './types.ts';

/** One start→stop lifetime of an adapter. */
export type Run = {
  ctx: ChannelStartContext;
  signal: AbortSignal;
  report: StatusReporter;
};

export type ChannelRuntime = {
  start(ctx: ChannelStartContext): Promise<void>;
  stop(): Promise<void>;
  /** The running lifetime, or undefined when stopped: webhooks are accepted only while one exists. */
  current(): Run | undefined;
  /** Meta refused the token during a send or download: the admin must give a new one. */
  reportAuthFailure(detail: string): void;
};

/**
 * Start/stop and the token check shared by both Meta adapters. There is no connection to hold: the
 * adapter is "running" while webhooks may be taken in. The token is checked with one cheap call at
 * start and, while Meta is unreachable, again in the background with backoff until it answers.
 * start() resolves after the first answer (bounded by the request timeout), never waiting for Meta
 * to come back.
 */
export function createChannelRuntime(options: {
  channel: MetaChannelName;
  logger: MetaLogger;
  backoff: RetryBackoff;
  /** Resolves with the status detail (the number or @username) or throws a ChannelError. */
  checkToken(signal: AbortSignal): Promise<string>;
}): ChannelRuntime {
  const { channel, logger } = options;
  let current: (Run & { controller: AbortController; watching: Promise<void> }) | undefined;

  async function watchToken(run: Run, firstAnswer: () => void): Promise<void> {
    for (let attempt = 1; !run.signal.aborted; attempt += 1) {
      let wait: number;
      try {
        const detail = await options.checkToken(run.signal);
        if (run.signal.aborted) return;
        run.report('connected', detail);
        logger.info({ channel, detail }, 'Meta channel connected');
        return;
      } catch (error) {
        if (run.signal.aborted) return;
        const failure =
          error instanceof ChannelError
            ? error
            : new ChannelError(channel, String(error), { retryable: true, code: 'UNKNOWN', cause: error });
        if (failure.code === 'AUTH') {
          run.report('needs_login', failure.message);
          return;
        }
        if (!failure.retryable) {
          run.report('error', failure.message);
          logger.error({ channel, code: failure.code, reason: failure.message }, 'Meta token check failed');
          return;
        }
        run.report('disconnected', failure.message);
        wait =
          failure.retryAfter === undefined
            ? backoffDelay(attempt, options.backoff)
            : failure.retryAfter * 1000;
        logger.warn(
          { channel, code: failure.code, attempt, delayMs: wait },
          'Meta token check failed; retrying',
        );
      } finally {
        firstAnswer();
      }
      if (!(await sleepUnlessAborted(wait, run.signal))) return;
    }
  }

  return {
    async start(ctx) {
      if (current) throw new Error(`${channel}: channel is already started`);
      if (ctx.signal.aborted) return;
      const controller = new AbortController();
      const signal = AbortSignal.any([ctx.signal, controller.signal]);
      const report = createStatusReporter(ctx.onStatus, { newDetailIsNews: false });
      let firstAnswer: () => void = () => {};
      const answered = new Promise<void>((resolve) => {
        firstAnswer = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const run = { ctx, signal, report, controller, watching: Promise.resolve() };
      current = run;
      report('starting');
      run.watching = watchToken(run, firstAnswer).catch((error: unknown) => {
        logger.error({ channel, reason: String(error) }, 'Meta token watch broke off');
      });
      // Stopping through the caller's signal ends the run as stop() would.
      ctx.signal.addEventListener(
        'abort',
        () => {
          if (current === run) current = undefined;
        },
        { once: true },
      );
      await answered;
    },

    async stop() {
      const run = current;
      if (!run) return;
      current = undefined;
      run.controller.abort();
      await run.watching;
      run.report('disconnected', 'stopped');
    },

    current: () => (current && !current.signal.aborted ? current : undefined),

    reportAuthFailure(detail) {
      current?.report('needs_login', detail);
    },
  };
}
