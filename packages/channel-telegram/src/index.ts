import { createHash, timingSafeEqual } from 'node:crypto';
import {
  type ChannelStartContext,
  createStatusReporter,
  type OutboundContent,
  type StatusReporter,
  type ThreadRef,
} from '@loket/core';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { createFileFetcher } from './download.ts';
import { toChannelError } from './errors.ts';
import { isUpdateObject, normalizeUpdate, updateKind } from './normalize.ts';
import {
  ALLOWED_UPDATES,
  asTelegrafSignal,
  callWithRetries,
  FatalTelegramError,
  runPollingLoop,
  storeWithRetries,
} from './poll.ts';
import { sendContent } from './send.ts';
import type {
  NormalizedUpdate,
  RetryBackoff,
  SkippedUpdate,
  TelegramChannel,
  TelegramChannelConfig,
  TelegramLogger,
  WebhookStatus,
} from './types.ts';

export { isUpdateObject, normalizeUpdate, parseStartCommand } from './normalize.ts';
export { splitMessageText } from './send.ts';
export type * from './types.ts';

const DEFAULT_API_ROOT = 'https://api.telegram.org';
const DEFAULT_POLL_TIMEOUT_SECONDS = 30;
/** The Bot API serves files up to 20 MB through getFile. */
const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;
const DEFAULT_BACKOFF: RetryBackoff = { initialDelayMs: 1000, maxDelayMs: 30_000 };
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

const silentLogger: TelegramLogger = { info() {}, warn() {}, error() {} };

/** One start→stop lifetime of the adapter. */
type Run = {
  ctx: ChannelStartContext;
  controller: AbortController;
  signal: AbortSignal;
  done: Promise<void>;
};

function validateConfig(config: TelegramChannelConfig): void {
  // The token goes into URL paths; anything that would change the path is a configuration mistake.
  if (!/^[^\s/?#]+$/.test(config.token)) throw new Error('telegram: token is empty or malformed');
  const timeout = config.pollTimeoutSeconds;
  if (timeout !== undefined && (!Number.isInteger(timeout) || timeout < 0 || timeout > 50)) {
    throw new Error('telegram: pollTimeoutSeconds must be an integer from 0 to 50');
  }
  if (config.maxFileBytes !== undefined && !(config.maxFileBytes > 0)) {
    throw new Error('telegram: maxFileBytes must be positive');
  }
  if (config.mode !== 'polling') {
    if (!/^https?:\/\//.test(config.mode.webhookUrl))
      throw new Error('telegram: webhookUrl must be an http(s) URL');
    if (!SECRET_TOKEN_PATTERN.test(config.mode.secretToken)) {
      throw new Error('telegram: secretToken must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
    }
  }
}

/** `https://host/path/` → `https://host/path`, so file URLs and Telegraf's URL resolution agree. */
function normalizeApiRoot(apiRoot: string): string {
  const url = new URL(apiRoot);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Hashing first gives equal-length inputs, so timingSafeEqual never throws and leaks no length. */
function secretMatches(received: string | undefined, expected: string): boolean {
  if (received === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

export function createTelegramChannel(config: TelegramChannelConfig): TelegramChannel {
  validateConfig(config);
  const apiRoot = normalizeApiRoot(config.apiRoot ?? DEFAULT_API_ROOT);
  const logger = config.logger ?? silentLogger;
  const backoff: RetryBackoff = { ...DEFAULT_BACKOFF, ...config.backoff };
  const webhook = config.mode === 'polling' ? undefined : config.mode;
  // Telegraf drops its keep-alive https agent by itself when apiRoot starts with http://. The trailing
  // slash keeps a path in apiRoot when Telegraf resolves `./bot<token>/<method>` against it.
  const bot = new Telegraf(config.token, { telegram: { apiRoot: `${apiRoot}/`, webhookReply: false } });
  const telegram = bot.telegram;
  const fetchFile = createFileFetcher({
    telegram,
    apiRoot,
    token: config.token,
    maxFileBytes: config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  });
  let current: Run | undefined;

  function normalizeSafely(update: Update): NormalizedUpdate {
    try {
      return normalizeUpdate(update, fetchFile);
    } catch (error) {
      // A shape normalisation cannot read would fail the same way forever; skip it rather than stall.
      logger.error(
        { updateId: update.update_id, reason: String(error) },
        'Telegram update could not be read',
      );
      return {
        kind: 'skipped',
        reason: 'malformed_update',
        detail: { updateId: update.update_id, updateKind: updateKind(update) },
      };
    }
  }

  function reportSkipped(ctx: ChannelStartContext, skipped: SkippedUpdate): void {
    logger.info({ reason: skipped.reason, ...skipped.detail }, 'Telegram update skipped');
    try {
      ctx.onRejected?.(skipped.reason, skipped.detail);
    } catch (error) {
      logger.warn({ reason: String(error) }, 'onRejected threw');
    }
  }

  async function setUp(signal: AbortSignal, report: StatusReporter): Promise<void> {
    const context = { signal, backoff, report, logger };
    const options = { signal: asTelegrafSignal(signal) };
    const me = await callWithRetries('getMe', () => telegram.callApi('getMe', {}, options), context);
    if (webhook) {
      const payload = {
        url: webhook.webhookUrl,
        secret_token: webhook.secretToken,
        allowed_updates: ALLOWED_UPDATES,
      };
      await callWithRetries('setWebhook', () => telegram.callApi('setWebhook', payload, options), context);
    } else {
      // A webhook left behind would make every getUpdates fail with 409; pending updates are kept.
      const payload = { drop_pending_updates: false };
      await callWithRetries(
        'deleteWebhook',
        () => telegram.callApi('deleteWebhook', payload, options),
        context,
      );
    }
    logger.info({ bot: me.username, mode: webhook ? 'webhook' : 'polling' }, 'Telegram bot connected');
  }

  async function live(run: Run, report: StatusReporter, ready: (error?: unknown) => void): Promise<void> {
    report('starting');
    try {
      await setUp(run.signal, report);
    } catch (error) {
      if (run.signal.aborted) {
        ready();
        return;
      }
      const detail = error instanceof FatalTelegramError ? error.message : String(error);
      report('error', detail);
      logger.error({ reason: detail }, 'Telegram channel could not start');
      ready(toChannelError(error instanceof FatalTelegramError ? error.cause : error, 'start'));
      return;
    }
    if (run.signal.aborted) {
      ready();
      return;
    }
    report('connected');
    ready();

    if (!webhook) {
      const context = { signal: run.signal, backoff, report, logger };
      await runPollingLoop({
        ...context,
        telegram,
        timeoutSeconds: config.pollTimeoutSeconds ?? DEFAULT_POLL_TIMEOUT_SECONDS,
        handleUpdate: async (update) => {
          const outcome = normalizeSafely(update);
          if (outcome.kind === 'skipped') {
            reportSkipped(run.ctx, outcome);
            return true;
          }
          return storeWithRetries(() => run.ctx.onMessage(outcome.message), update.update_id, context);
        },
      });
    } else {
      // Webhook deliveries arrive through handleWebhook; the run only has to last until it is stopped.
      if (!run.signal.aborted) {
        await new Promise((resolve) => run.signal.addEventListener('abort', resolve, { once: true }));
      }
    }
    if (run.signal.aborted) report('disconnected', 'stopped');
  }

  async function start(ctx: ChannelStartContext): Promise<void> {
    if (current) throw new Error('telegram: channel is already started');
    if (ctx.signal.aborted) return;
    const controller = new AbortController();
    const run: Run = {
      ctx,
      controller,
      signal: AbortSignal.any([ctx.signal, controller.signal]),
      done: Promise.resolve(),
    };
    current = run;
    const report = createStatusReporter(ctx.onStatus, { newDetailIsNews: false });
    const ready = new Promise<void>((resolve, reject) => {
      run.done = live(run, report, (error) => (error === undefined ? resolve() : reject(error)))
        .catch((error: unknown) => {
          report('error', String(error));
          reject(error);
        })
        .finally(() => {
          if (current === run) current = undefined;
        });
    });
    await ready;
  }

  async function stop(): Promise<void> {
    const run = current;
    if (!run) return;
    run.controller.abort();
    await run.done;
  }

  async function handleWebhook(
    secretHeader: string | undefined,
    body: unknown,
  ): Promise<{ status: WebhookStatus }> {
    if (!webhook || !secretMatches(secretHeader, webhook.secretToken)) return { status: 401 };
    if (!isUpdateObject(body)) return { status: 400 };
    const run = current;
    // Not running: a 5xx makes Telegram keep the update and try again later.
    if (!run || run.signal.aborted) return { status: 500 };
    const outcome = normalizeSafely(body);
    if (outcome.kind === 'skipped') {
      reportSkipped(run.ctx, outcome);
      return { status: 200 };
    }
    try {
      await run.ctx.onMessage(outcome.message);
      return { status: 200 };
    } catch (error) {
      logger.warn(
        { updateId: body.update_id, reason: String(error) },
        'storing a Telegram webhook update failed',
      );
      return { status: 500 };
    }
  }

  return {
    channel: 'telegram',
    start,
    stop,
    send: (to: ThreadRef, content: OutboundContent) => sendContent(telegram, to, content),
    handleWebhook,
  };
}
