import { ChannelError } from '@loket/core';
import { describe, expect, it } from 'vitest';
import {
  classifyGraphError,
  graphChannelError,
  networkChannelError,
  parseGraphErrorBody,
  parseRetryAfter,
} from './errors.ts';

const wa = (code: number, extra: Record<string, unknown> = {}) => ({
  error: { code, message: `(#${code}) x`, ...extra },
});

describe('classifyGraphError', () => {
  it.each([
    [
      '131056 pair rate limit',
      'whatsapp-cloud',
      400,
      { code: 131056 },
      null,
      { retryable: true, code: 'RATE_LIMITED', retryAfter: 60 },
    ],
    [
      '130429 throughput',
      'whatsapp-cloud',
      429,
      { code: 130429 },
      null,
      { retryable: true, code: 'RATE_LIMITED', retryAfter: 5 },
    ],
    [
      '130429 with Retry-After',
      'whatsapp-cloud',
      429,
      { code: 130429 },
      '17',
      { retryable: true, retryAfter: 17 },
    ],
    [
      '80007 Instagram rate limit',
      'instagram-graph',
      400,
      { code: 80007 },
      null,
      { retryable: true, code: 'RATE_LIMITED', retryAfter: 60 },
    ],
    ['4 app rate limit', 'whatsapp-cloud', 400, { code: 4 }, '120', { retryable: true, retryAfter: 120 }],
    [
      '17 user rate limit',
      'instagram-graph',
      400,
      { code: 17 },
      null,
      { retryable: true, code: 'RATE_LIMITED' },
    ],
    [
      '32 page rate limit',
      'instagram-graph',
      400,
      { code: 32 },
      null,
      { retryable: true, code: 'RATE_LIMITED' },
    ],
    [
      '613 call rate limit',
      'instagram-graph',
      400,
      { code: 613 },
      null,
      { retryable: true, code: 'RATE_LIMITED' },
    ],
    [
      '131047 re-engagement',
      'whatsapp-cloud',
      400,
      { code: 131047 },
      null,
      { retryable: false, code: 'REPLY_WINDOW_CLOSED' },
    ],
    [
      'IG 10/2018278 window',
      'instagram-graph',
      400,
      { code: 10, error_subcode: 2018278 },
      null,
      { retryable: false, code: 'REPLY_WINDOW_CLOSED' },
    ],
    [
      'IG 2534022 window',
      'instagram-graph',
      400,
      { code: 100, error_subcode: 2534022 },
      null,
      { retryable: false, code: 'REPLY_WINDOW_CLOSED' },
    ],
    [
      '190 expired token',
      'whatsapp-cloud',
      401,
      { code: 190, error_subcode: 463 },
      null,
      { retryable: false, code: 'AUTH', authFailure: true },
    ],
    [
      '131026 undeliverable',
      'whatsapp-cloud',
      400,
      { code: 131026 },
      null,
      { retryable: false, code: 'BAD_RECIPIENT' },
    ],
    [
      '131051 unsupported type',
      'whatsapp-cloud',
      400,
      { code: 131051 },
      null,
      { retryable: false, code: 'UNSUPPORTED' },
    ],
    [
      '100 no matching user',
      'instagram-graph',
      400,
      { code: 100, error_subcode: 2018001 },
      null,
      { retryable: false, code: 'BAD_RECIPIENT' },
    ],
    [
      '100 invalid parameter',
      'whatsapp-cloud',
      400,
      { code: 100 },
      null,
      { retryable: false, code: 'INVALID_REQUEST' },
    ],
    ['10 permission', 'instagram-graph', 403, { code: 10 }, null, { retryable: false, code: 'PERMISSION' }],
    ['200 permission', 'whatsapp-cloud', 403, { code: 200 }, null, { retryable: false, code: 'PERMISSION' }],
    ['368 policy block', 'whatsapp-cloud', 400, { code: 368 }, null, { retryable: false, code: 'BLOCKED' }],
    ['1 unknown error', 'whatsapp-cloud', 500, { code: 1 }, null, { retryable: true, code: 'SERVER_ERROR' }],
    [
      '2 service unavailable',
      'instagram-graph',
      503,
      { code: 2 },
      null,
      { retryable: true, code: 'SERVER_ERROR' },
    ],
    [
      '131000 something went wrong',
      'whatsapp-cloud',
      500,
      { code: 131000 },
      null,
      { retryable: true, code: 'SERVER_ERROR' },
    ],
    ['131016 overloaded', 'whatsapp-cloud', 503, { code: 131016 }, '3', { retryable: true, retryAfter: 3 }],
    [
      'is_transient flag',
      'instagram-graph',
      400,
      { code: 9999, is_transient: true },
      null,
      { retryable: true },
    ],
    [
      'unknown code, HTTP 400',
      'whatsapp-cloud',
      400,
      { code: 9999 },
      null,
      { retryable: false, code: 'GRAPH_ERROR' },
    ],
  ] as const)('%s', (_label, channel, httpStatus, error, retryAfterHeader, expected) => {
    expect(classifyGraphError(channel, { httpStatus, error, retryAfterHeader })).toMatchObject(expected);
  });

  it('falls back to the HTTP status when the body is not Graph JSON', () => {
    expect(classifyGraphError('whatsapp-cloud', { httpStatus: 502 })).toMatchObject({
      retryable: true,
      code: 'SERVER_ERROR',
    });
    expect(classifyGraphError('whatsapp-cloud', { httpStatus: 429, retryAfterHeader: '9' })).toMatchObject({
      retryable: true,
      retryAfter: 9,
    });
    expect(classifyGraphError('instagram-graph', { httpStatus: 401 })).toMatchObject({
      code: 'AUTH',
      authFailure: true,
    });
    expect(classifyGraphError('instagram-graph', { httpStatus: 404 })).toMatchObject({ retryable: false });
  });

  it('explains the closed window per platform in plain English', () => {
    expect(classifyGraphError('whatsapp-cloud', { error: { code: 131047 } }).explanation).toMatch(
      /more than 24 hours/,
    );
    expect(
      classifyGraphError('instagram-graph', { error: { code: 10, error_subcode: 2018278 } }).explanation,
    ).toMatch(/Instagram.*24 hours.*7 days/);
  });
});

describe('parseGraphErrorBody', () => {
  it('reads Meta error JSON, numbers given as strings too', () => {
    expect(parseGraphErrorBody(wa(131056, { error_subcode: '2494055', fbtrace_id: 'Az1' }))).toMatchObject({
      code: 131056,
      error_subcode: 2494055,
      fbtrace_id: 'Az1',
    });
    expect(parseGraphErrorBody({ error: { code: '190', message: 'x' } })?.code).toBe(190);
  });

  it('returns undefined for anything else', () => {
    for (const body of [undefined, null, 'text', {}, { error: 'nope' }, []]) {
      expect(parseGraphErrorBody(body)).toBeUndefined();
    }
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30')).toBe(30);
    const now = Date.parse('2025-03-03T01:00:00Z');
    expect(parseRetryAfter('Mon, 03 Mar 2025 01:00:45 GMT', now)).toBe(45);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('graphChannelError', () => {
  it('builds a ChannelError an officer can read, with Meta code and trace for support', () => {
    const error = graphChannelError('whatsapp-cloud', {
      httpStatus: 400,
      error: {
        code: 131047,
        message: '(#131047) Re-engagement message',
        error_data: { details: 'Message failed to send because more than 24 hours have passed.' },
        fbtrace_id: 'AbCdEf123',
      },
    });
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ channel: 'whatsapp-cloud', retryable: false, code: 'REPLY_WINDOW_CLOSED' });
    expect(error.message).toMatch(/^The citizen's last WhatsApp message was more than 24 hours ago/);
    expect(error.message).toContain('Meta error 131047: (#131047) Re-engagement message');
    expect(error.message).toContain('trace AbCdEf123');
  });

  it('carries retryAfter', () => {
    const error = graphChannelError('whatsapp-cloud', {
      httpStatus: 400,
      error: { code: 131056 },
      retryAfterHeader: '12',
    });
    expect(error).toMatchObject({ retryable: true, retryAfter: 12, code: 'RATE_LIMITED' });
  });
});

describe('networkChannelError', () => {
  it('is retryable and names the cause', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const error = networkChannelError(
      'instagram-graph',
      'send text',
      new TypeError('fetch failed', { cause }),
    );
    expect(error).toMatchObject({ retryable: true, code: 'NETWORK', channel: 'instagram-graph' });
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('says a timeout is a timeout', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(networkChannelError('whatsapp-cloud', 'send text', timeout).message).toContain(
      'no answer in time',
    );
  });
});
