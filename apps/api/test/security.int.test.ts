import { silentLogger } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const STAFF_ROUTES: [string, string][] = [
  ['GET', '/v1/tickets'],
  ['GET', '/v1/tickets/x'],
  ['GET', '/v1/tickets/x/messages'],
  ['POST', '/v1/tickets/x/replies'],
  ['POST', '/v1/tickets/x/notes'],
  ['PATCH', '/v1/tickets/x'],
  ['GET', '/v1/canned-responses'],
  ['GET', '/v1/canned-responses/x'],
  ['GET', '/v1/canned-responses/x/preview'],
  ['POST', '/v1/canned-responses'],
  ['PATCH', '/v1/canned-responses/x'],
  ['DELETE', '/v1/canned-responses/x'],
];
const ADMIN_ROUTES: [string, string][] = [
  ['GET', '/v1/admin/channels'],
  ['PATCH', '/v1/admin/channels/telegram'],
  ['GET', '/v1/admin/settings'],
  ['PATCH', '/v1/admin/settings'],
  ['POST', '/v1/admin/users'],
  ['GET', '/v1/admin/users'],
  ['GET', '/v1/admin/users/x'],
  ['PATCH', '/v1/admin/users/x'],
  ['POST', '/v1/admin/users/x/token'],
  ['GET', '/v1/admin/audit'],
];

describe.each(databaseKinds())('API security and limits on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { bodyLimitBytes: 4096, authFailureLimit: 1000 });
  });
  afterAll(() => h.close());

  it.each([...STAFF_ROUTES, ...ADMIN_ROUTES])(
    '%s %s needs a token (401 with the envelope)',
    async (method, path) => {
      for (const token of [null, 'lkt_wrong', 'x'.repeat(500)]) {
        const response = await h.request(method, path, { token, body: method === 'GET' ? undefined : {} });
        expect(response.status).toBe(401);
        const { error } = await response.json();
        expect(error).toMatchObject({ code: 'UNAUTHORIZED', requestId: expect.any(String) });
      }
    },
  );

  it.each(ADMIN_ROUTES)('%s %s is admin only (403 for officer and supervisor)', async (method, path) => {
    for (const role of ['officer', 'supervisor'] as const) {
      const response = await h.request(method, path, {
        token: h.tokens[role],
        body: method === 'GET' ? undefined : {},
      });
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('FORBIDDEN');
    }
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const { ticketId } = await h.receive();
    const response = await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      raw: '{"text": "unterminated',
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('MALFORMED_JSON');
  });

  it('refuses a NUL character anywhere in a JSON body with 400 naming the field, instead of failing at the database', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'nul', externalThreadId: 'nul' });
    for (const [path, body, field] of [
      [`/v1/tickets/${ticketId}/notes`, { text: '\u0000' }, 'text'],
      [`/v1/tickets/${ticketId}/replies`, { text: 'halo\u0000' }, 'text'],
      ['/v1/canned-responses', { title: 'x', text: 'y', tags: ['ok', 'a\u0000'] }, 'tags.1'],
    ] as const) {
      const response = await h.request('POST', path, { body });
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({
        code: 'VALIDATION_FAILED',
        issues: [{ path: field, message: 'must not contain the NUL character (U+0000)' }],
      });
    }
    expect((await h.request('GET', `/v1/tickets/${ticketId}/messages`)).status).toBe(200);
  });

  it('answers a body over the limit with 413', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'big', externalThreadId: 'big' });
    const response = await h.request('POST', `/v1/tickets/${ticketId}/notes`, {
      body: { text: 'x'.repeat(5000) },
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with the 404 envelope', async () => {
    const response = await h.request('GET', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('NOT_FOUND');
  });

  it('serves health and the OpenAPI document without a token', async () => {
    expect(await (await h.request('GET', '/healthz', { token: null })).json()).toEqual({ status: 'ok' });
    const doc = await (await h.request('GET', '/openapi.json', { token: null })).json();
    expect(doc.openapi).toBe('3.1.0');
    for (const path of [
      '/v1/tickets',
      '/v1/tickets/{id}',
      '/v1/tickets/{id}/messages',
      '/v1/tickets/{id}/replies',
      '/v1/tickets/{id}/notes',
      '/v1/admin/channels',
      '/v1/admin/channels/{channel}',
      '/v1/admin/settings',
      '/v1/admin/users',
      '/v1/admin/users/{id}',
      '/v1/admin/users/{id}/token',
      '/v1/canned-responses',
      '/v1/canned-responses/{id}',
      '/v1/canned-responses/{id}/preview',
      '/v1/admin/audit',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    const docs = await h.request('GET', '/docs', { token: null });
    expect(docs.headers.get('content-type')).toContain('text/html');
  });
});

describe('failed authentication throttling', () => {
  it('answers 429 with Retry-After after repeated failures from one address', async () => {
    const h = await createHarness('pglite', { authFailureLimit: 3, authFailureWindowMs: 60_000 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1)
        statuses.push((await h.request('GET', '/v1/tickets', { token: 'lkt_guess' })).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const limited = await h.request('GET', '/v1/tickets');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});

describe('the database away', () => {
  it('answers 503 DATABASE_UNAVAILABLE with Retry-After, and a bug still 500', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const warnings: unknown[][] = [];
    const errors: unknown[][] = [];
    const h = await createHarness('pglite');
    try {
      const away = await createHarness('pglite', {
        tickets: { ...h.repos.tickets, listTickets: () => Promise.reject(refused) },
        complaints: {
          ...h.repos.complaints,
          listComplaints: () =>
            Promise.reject(new TypeError("cannot read properties of undefined (reading 'x')")),
        },
        logger: {
          ...silentLogger,
          warn: (...args: unknown[]) => void warnings.push(args),
          error: (...args: unknown[]) => void errors.push(args),
        },
      });
      try {
        const response = await away.request('GET', '/v1/tickets');
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect((await response.json()).error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
        expect(warnings.map((args) => args[1])).toEqual(['database unavailable: answered 503']);
        const bug = await away.request('GET', '/v1/complaints', { token: away.tokens.supervisor });
        expect(bug.status).toBe(500);
        expect((await bug.json()).error).toMatchObject({ code: 'INTERNAL' });
        expect(errors).toHaveLength(1);
      } finally {
        await away.close();
      }
    } finally {
      await h.close();
    }
  });
});
