import { ChannelError } from '@loket/core';
import { TelegramError } from 'telegraf';

/** How a failed Bot API call should be treated, decided once so polling, setup and sending agree. */
export type TelegramFailure = {
  retryable: boolean;
  code: string;
  description: string;
  httpStatus?: number;
  /** Seconds Telegram asked us to wait (429). */
  retryAfter?: number;
};

function failureFromApiError(error: TelegramError): TelegramFailure {
  const status = error.code;
  const description = error.description;
  const base = { httpStatus: status, description };
  if (status === 429) {
    const retryAfter = error.parameters?.retry_after;
    return {
      ...base,
      retryable: true,
      code: 'RATE_LIMITED',
      ...(retryAfter === undefined ? {} : { retryAfter }),
    };
  }
  // A revoked token answers 401; a malformed one answers 404 for every method.
  if (status === 401 || status === 404) return { ...base, retryable: false, code: 'UNAUTHORIZED' };
  if (status === 409) return { ...base, retryable: false, code: 'CONFLICT' };
  if (status >= 500) return { ...base, retryable: true, code: 'SERVER_ERROR' };
  if (status === 403) {
    return { ...base, retryable: false, code: /blocked/i.test(description) ? 'BLOCKED' : 'FORBIDDEN' };
  }
  if (status === 400 && /chat not found/i.test(description))
    return { ...base, retryable: false, code: 'CHAT_NOT_FOUND' };
  return { ...base, retryable: false, code: 'BAD_REQUEST' };
}

/**
 * Anything that is not a Bot API answer (refused connection, reset socket, a proxy's HTML page that
 * is not JSON) is a transport failure and worth retrying.
 */
export function classifyTelegramError(error: unknown): TelegramFailure {
  if (error instanceof TelegramError) return failureFromApiError(error);
  const message = error instanceof Error ? error.message : String(error);
  return { retryable: true, code: 'NETWORK', description: redactToken(message) };
}

export function toChannelError(error: unknown, action: string): ChannelError {
  if (error instanceof ChannelError) return error;
  const failure = classifyTelegramError(error);
  return new ChannelError('telegram', `${action} failed: ${failure.description}`, {
    retryable: failure.retryable,
    code: failure.code,
    cause: error,
    ...(failure.retryAfter === undefined ? {} : { retryAfter: failure.retryAfter }),
  });
}

/** Bot API URLs carry the token; it must never reach a log line or an error message. */
export function redactToken(text: string): string {
  return text.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot<redacted>');
}

export function isAbortError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'AbortError' || (error as { type?: unknown }).type === 'aborted')
  );
}
