import type { ChannelAdapter, InboundMessage, RetryBackoff } from '@loket/core';

/** Matches pino's `(detail, message)` order, so the app's logger can be passed in as is. */
export type TelegramLogger = {
  info(detail: Record<string, unknown>, message: string): void;
  warn(detail: Record<string, unknown>, message: string): void;
  error(detail: Record<string, unknown>, message: string): void;
};

export type TelegramWebhookMode = {
  /** The public HTTPS URL Telegram posts updates to. */
  webhookUrl: string;
  /** Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token; 1–256 of A–Z, a–z, 0–9, _ and -. */
  secretToken: string;
};

export type TelegramChannelConfig = {
  token: string;
  /** Bot API root. Defaults to https://api.telegram.org; tests point it at a fake on http://127.0.0.1. */
  apiRoot?: string;
  mode: 'polling' | TelegramWebhookMode;
  /** Long-poll timeout per getUpdates call. Defaults to 30; Telegram allows up to 50. */
  pollTimeoutSeconds?: number;
  /** Ceiling for attachment downloads, whatever the caller asks. Defaults to 20 MiB, the Bot API's own. */
  maxFileBytes?: number;
  /** Waits between retries of failed Bot API calls and of a failed onMessage. */
  backoff?: Partial<RetryBackoff>;
  logger?: TelegramLogger;
};

export type WebhookStatus = 200 | 400 | 401 | 500;

export type TelegramChannel = ChannelAdapter & {
  /**
   * Handles one webhook delivery. 401 when the secret header is missing or wrong (nothing is read),
   * 400 when the body is not an update, 500 when the channel is not running or storing failed (so
   * Telegram retries), and 200 only after the message is stored or deliberately skipped.
   */
  handleWebhook(secretHeader: string | undefined, body: unknown): Promise<{ status: WebhookStatus }>;
};

/** A skipped update: why, and identifiers safe to log (no message content). */
export type SkippedUpdate = { kind: 'skipped'; reason: string; detail: Record<string, unknown> };

export type NormalizedUpdate = { kind: 'message'; message: InboundMessage } | SkippedUpdate;

/** Downloads one Telegram file, refusing anything over `maxBytes`. */
export type FileFetcher = (
  fileId: string,
  announcedSize: number | undefined,
  maxBytes: number,
) => Promise<Uint8Array>;

export type { RetryBackoff };
