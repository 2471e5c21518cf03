import {
  ChannelError,
  type ChannelStartContext,
  type ChannelStatus,
  createStatusReporter,
  type OutboundContent,
  type SendResult,
  type ThreadRef,
} from '@loket/core';
import { DEFAULT_API_ROOT } from './api-root.ts';
import type { LiveSession } from './connect.ts';
import { createMediaFetcher } from './media.ts';
import { runChannel } from './run.ts';
import { sendContent } from './send.ts';
import { SessionState, ThreadCursors } from './session.ts';
import type { InstagramChannel, InstagramChannelConfig, InstagramLogger, RetryBackoff } from './types.ts';
import { normalizeApiRoot, validateConfig } from './validate-config.ts';

export { DEFAULT_API_ROOT } from './api-root.ts';
export { normalizeItem } from './normalize.ts';
export { MAX_TEXT_LENGTH, splitText } from './send.ts';
export { SESSION_NAMESPACE } from './session.ts';
export type * from './types.ts';

const DEFAULT_POLL_INTERVAL_MS = 20_000;
const DEFAULT_CHALLENGE_RETRY_MS = 5 * 60_000;
const DEFAULT_MAX_MEDIA_BYTES = 25 * 1024 * 1024;
const DEFAULT_BACKOFF: RetryBackoff = { initialDelayMs: 2_000, maxDelayMs: 10 * 60_000 };

const silentLogger: InstagramLogger = { info() {}, warn() {}, error() {} };

/** One start→stop lifetime of the adapter. */
type Run = { controller: AbortController; done: Promise<void> };

/**
 * Instagram direct messages through instagram-private-api (the app's private API, logged in as the
 * office's account). There is no push: the inbox and message requests are polled, and per-thread
 * cursors in the session store make sure a restart neither replays nor skips a message.
 */
export function createInstagramChannel(config: InstagramChannelConfig): InstagramChannel {
  validateConfig(config);
  const apiRoot = normalizeApiRoot(config.apiRoot ?? DEFAULT_API_ROOT);
  const logger = config.logger ?? silentLogger;
  const backoff: RetryBackoff = { ...DEFAULT_BACKOFF, ...config.backoff };
  const sessionState = new SessionState(config.session, config.username, logger);
  const fetchMedia = createMediaFetcher(config.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES);
  let status: ChannelStatus = { state: 'disabled' };
  let session: LiveSession | undefined;
  let current: Run | undefined;

  async function start(ctx: ChannelStartContext): Promise<void> {
    if (current) throw new Error('instagram: channel is already started');
    if (ctx.signal.aborted) return;
    const controller = new AbortController();
    const report = createStatusReporter((next) => {
      status = next;
      ctx.onStatus(next);
    });
    let ready: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const run: Run = { controller, done: Promise.resolve() };
    current = run;
    run.done = runChannel({
      username: config.username,
      password: config.password,
      apiRoot,
      pollIntervalMs: config.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      challengeRetryMs: config.challengeRetryMs ?? DEFAULT_CHALLENGE_RETRY_MS,
      approveRequests: config.approveRequests ?? true,
      backoff,
      sessionState,
      // Cursors are read from the store afresh per run, in case someone edited or cleared it.
      cursors: new ThreadCursors(config.session),
      fetchMedia,
      logger,
      ctx,
      signal: AbortSignal.any([ctx.signal, controller.signal]),
      report,
      setSession: (next) => {
        session = next;
      },
      ready: () => ready(),
    })
      .catch((error: unknown) => {
        // runChannel handles Instagram's failures itself; this is a bug, reported rather than thrown.
        logger.error({ reason: String(error) }, 'Instagram channel crashed');
        report('error', String(error));
      })
      .finally(() => {
        ready();
        session = undefined;
        if (current === run) current = undefined;
      });
    await started;
  }

  async function stop(): Promise<void> {
    const run = current;
    if (!run) return;
    run.controller.abort();
    await run.done;
  }

  async function send(to: ThreadRef, content: OutboundContent): Promise<SendResult> {
    if (to.channel !== 'instagram') {
      throw new ChannelError('instagram', `cannot send to a ${to.channel} thread`, {
        retryable: false,
        code: 'WRONG_CHANNEL',
      });
    }
    const live = session;
    if (!live) {
      throw new ChannelError('instagram', 'not logged in to Instagram (yet)', {
        retryable: true,
        code: 'NOT_CONNECTED',
      });
    }
    return sendContent(live.ig, to.externalThreadId, content);
  }

  return { channel: 'instagram', start, stop, send, currentStatus: () => status };
}
