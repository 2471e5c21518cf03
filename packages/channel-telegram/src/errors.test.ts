import { ChannelError } from '@loket/core';
import { TelegramError } from 'telegraf';
import { describe, expect, it } from 'vitest';
import { classifyTelegramError, redactToken, toChannelError } from './errors.ts';

function apiError(code: number, description: string, retryAfter?: number) {
  return new TelegramError({
    error_code: code,
    description,
    ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
  });
}

describe('classifyTelegramError', () => {
  it.each([
    [
      apiError(429, 'Too Many Requests: retry after 12', 12),
      { retryable: true, code: 'RATE_LIMITED', retryAfter: 12 },
    ],
    [apiError(401, 'Unauthorized'), { retryable: false, code: 'UNAUTHORIZED' }],
    [apiError(404, 'Not Found'), { retryable: false, code: 'UNAUTHORIZED' }],
    [
      apiError(409, 'Conflict: terminated by other getUpdates request'),
      { retryable: false, code: 'CONFLICT' },
    ],
    [apiError(403, 'Forbidden: bot was blocked by the user'), { retryable: false, code: 'BLOCKED' }],
    [apiError(403, 'Forbidden: user is deactivated'), { retryable: false, code: 'FORBIDDEN' }],
    [apiError(400, 'Bad Request: chat not found'), { retryable: false, code: 'CHAT_NOT_FOUND' }],
    [apiError(400, 'Bad Request: message is too long'), { retryable: false, code: 'BAD_REQUEST' }],
    [apiError(502, 'Bad Gateway'), { retryable: true, code: 'SERVER_ERROR' }],
    [new Error('request to https://x failed, reason: socket hang up'), { retryable: true, code: 'NETWORK' }],
  ])('%s', (error, expected) => {
    expect(classifyTelegramError(error)).toMatchObject(expected);
  });
});

describe('toChannelError', () => {
  it('carries retryAfter and the cause', () => {
    const cause = apiError(429, 'Too Many Requests: retry after 3', 3);
    const error = toChannelError(cause, 'sendMessage');
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({
      channel: 'telegram',
      retryable: true,
      retryAfter: 3,
      code: 'RATE_LIMITED',
    });
    expect(error.message).toBe('sendMessage failed: Too Many Requests: retry after 3');
    expect(error.cause).toBe(cause);
  });

  it('keeps a ChannelError as it is', () => {
    const original = new ChannelError('telegram', 'too big', { retryable: false, code: 'FILE_TOO_LARGE' });
    expect(toChannelError(original, 'getFile')).toBe(original);
  });
});

describe('redactToken', () => {
  it('removes bot tokens from URLs', () => {
    expect(redactToken('GET http://h/file/bot123456:AA-bc_d/photos/1.jpg failed')).toBe(
      'GET http://h/file/bot<redacted>/photos/1.jpg failed',
    );
  });
});
