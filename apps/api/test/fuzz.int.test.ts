// Fuzz: hostile bodies, paths, query strings and headers against every route of the OpenAPI document
// and every webhook. FUZZ_RUNS sets the total number of cases (`pnpm test:reliability`: 10,000).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from '@loket/core';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChannelWebhook, MetaWebhook } from '../src/context.ts';
import {
  contentType,
  expectWellFormedRefusal,
  extraHeaders,
  fuzzRuns,
  hostileBody,
  pathSegment,
  queryString,
} from './fuzz-arbitraries.ts';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const TOTAL_RUNS = fuzzRuns(2000);
const TELEGRAM_SECRET = 'fuzz-telegram-secret-0123';
const META_SECRET = 'fuzz-meta-app-secret-0123';

type Operation = { method: string; path: string; fields: string[]; query: string[] };
type OpenApiDoc = {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, SchemaObject> };
};
type OpenApiOperation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
};
type SchemaObject = { $ref?: string; properties?: Record<string, unknown> };

/** Every operation of the document, with the names of its body fields and query parameters. */
function operationsOf(doc: OpenApiDoc): Operation[] {
  const resolve = (schema: SchemaObject | undefined): SchemaObject | undefined =>
    schema?.$ref ? doc.components?.schemas?.[schema.$ref.split('/').at(-1) ?? ''] : schema;
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      fields: Object.keys(
        resolve(operation.requestBody?.content?.['application/json']?.schema)?.properties ?? {},
      ),
      query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
    })),
  );
}

/** The webhooks are not in the document (platforms call them); they get the same treatment. */
const WEBHOOKS: Operation[] = [
  { method: 'POST', path: '/webhooks/telegram', fields: ['update_id', 'message'], query: [] },
  ...['whatsapp-cloud', 'instagram-graph'].flatMap((channel) => [
    { method: 'POST', path: `/webhooks/${channel}`, fields: ['object', 'entry'], query: [] },
    {
      method: 'GET',
      path: `/webhooks/${channel}`,
      fields: [],
      query: ['hub.mode', 'hub.verify_token', 'hub.challenge'],
    },
  ]),
];

/**
 * Stand-ins with the webhooks' contract (secret first, then parse, 400 on a body that is not an
 * update). The real adapters get the same fuzz in apps/loket/test/webhook-fuzz.e2e.int.test.ts.
 */
const telegramWebhook: ChannelWebhook = async ({ headers, body }) => {
  if (headers.get('x-telegram-bot-api-secret-token') !== TELEGRAM_SECRET) return { status: 401 };
  const update = body as { update_id?: unknown } | null;
  return typeof update === 'object' && update !== null && Number.isSafeInteger(update.update_id)
    ? { status: 200 }
    : { status: 400 };
};
const metaWebhook: MetaWebhook = {
  verify: (query) =>
    query.mode === 'subscribe' && query.verifyToken === 'verify-me' && query.challenge
      ? { status: 200, body: query.challenge }
      : { status: 403 },
  async handle({ rawBody, signature }) {
    const expected = Buffer.from(signBody(rawBody));
    const given = Buffer.from(signature ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { status: 401 };
    try {
      const parsed = JSON.parse(Buffer.from(rawBody).toString('utf8')) as { object?: unknown } | null;
      return typeof parsed?.object === 'string' ? { status: 200 } : { status: 400 };
    } catch {
      return { status: 400 };
    }
  },
};
const signBody = (body: Uint8Array | string) =>
  `sha256=${createHmac('sha256', META_SECRET).update(body).digest('hex')}`;

/** Keeps what onError logs, so a failing case says what went wrong inside. */
function recordingLogger(errors: unknown[]): Logger {
  const noop = () => {};
  const logger: Logger = {
    debug: noop,
    info: noop,
    warn: noop,
    error: (fields: unknown) => errors.push(fields),
    child: () => logger,
  };
  return logger;
}

describe.each(databaseKinds())('fuzz every route and webhook (%s)', (kind) => {
  let h: Harness;
  let operations: Operation[];
  let realIds: string[];
  const logged: unknown[] = [];

  beforeAll(async () => {
    h = await createHarness(kind, {
      logger: recordingLogger(logged),
      // Every case carries a token, good or bad; the brute-force limit has its own test.
      authFailureLimit: Number.MAX_SAFE_INTEGER,
      // A linked-device session that shows a QR, so the pairing routes go past "not running".
      whatsappPairing: {
        state: () => ({ running: true, qr: { qr: '2@fuzz-qr', expiresAt: new Date(Date.now() + 60_000) } }),
        requestPairingCode: async () => 'ABCD1234',
      },
      webhooks: { telegram: telegramWebhook, 'whatsapp-cloud': metaWebhook, 'instagram-graph': metaWebhook },
    });
    const doc = (await (await h.request('GET', '/openapi.json', { token: null })).json()) as OpenApiDoc;
    operations = [...operationsOf(doc), ...WEBHOOKS];
    // Real ids reach the code behind the lookups. The staff's own ids stay out: a fuzzed token
    // rotation or deactivation would lock the fuzz out of the routes it should reach.
    const { ticketId, messageId } = await h.receive();
    const victim = await h.request('POST', '/v1/admin/users', {
      token: h.tokens.admin,
      body: { name: 'Korban Fuzz', email: 'fuzz@example.go.id', role: 'officer' },
    });
    const canned = await h.request('POST', '/v1/canned-responses', {
      token: h.tokens.admin,
      body: { shortcut: 'fuzz', title: 'Fuzz', body: 'Halo {{nama}}' },
    });
    realIds = [ticketId, messageId, (await victim.json()).user?.id, (await canned.json()).id].filter(
      (id): id is string => typeof id === 'string',
    );
  });
  afterAll(() => h?.close());
  // A failure inside a stream that already answered 200 (an event stream) only reaches the console.
  const consoleErrors = vi.spyOn(console, 'error');
  afterEach(() => {
    expect(consoleErrors.mock.calls.map((call) => String(call[0]))).toEqual([]);
    consoleErrors.mockClear();
  });

  it('refuses a Last-Event-ID beyond the bigint range (400), before the stream starts', async () => {
    for (const id of ['9223372036854775808', '9999999999999999999']) {
      for (const [path, headers] of [
        ['/v1/events', { 'last-event-id': id }],
        [`/v1/events?lastEventId=${id}`, {}],
      ] as const) {
        const response = await h.request('GET', path, { headers });
        expect(response.status, `${path} ${id}`).toBe(400);
        expect((await response.json()).error.code).toBe('VALIDATION_FAILED');
      }
    }
    const newest = await h.request('GET', '/v1/events', {
      headers: { 'last-event-id': '9223372036854775807' },
    });
    expect(newest.status).toBe(200);
    await newest.body?.cancel();
  });

  it('stores a platform message holding U+0000 without it, instead of failing on every redelivery', async () => {
    const nul = {
      externalMessageId: 'nul\u0000:1',
      externalUserId: 'nul-user',
      externalThreadId: 'nul-user',
    };
    const { ticketId } = await h.receive({ ...nul, text: 'akta\u0000 kelahiran', displayName: 'Bu\u0000di' });
    const messages = await (await h.request('GET', `/v1/tickets/${ticketId}/messages`)).json();
    const inbound = messages.items.filter((m: { direction: string }) => m.direction === 'inbound');
    expect(inbound.map((m: { text: string }) => m.text)).toEqual(['akta kelahiran']);
    const ticket = await (await h.request('GET', `/v1/tickets/${ticketId}`)).json();
    expect(ticket.contact.displayName).toBe('Budi');
  });

  it(`answers ${TOTAL_RUNS} hostile requests with < 500 and the error envelope, and keeps serving`, async () => {
    expect(operations.length).toBeGreaterThan(40);
    const request = fc.record({
      operation: fc.constantFrom(...operations),
      params: fc.array(
        fc.oneof(pathSegment, fc.constantFrom(...realIds), fc.constantFrom('telegram', 'whatsapp-cloud')),
        {
          minLength: 3,
          maxLength: 3,
        },
      ),
      token: fc.constantFrom<keyof Harness['tokens'] | 'none' | 'bad'>(
        'admin',
        'admin',
        'supervisor',
        'officer',
        'none',
        'bad',
      ),
      headers: extraHeaders,
      contentType,
      signBody: fc.boolean(),
    });
    const cases = request.chain((r) =>
      fc.record({
        base: fc.constant(r),
        body: hostileBody(r.operation.fields),
        query: queryString(r.operation.query),
      }),
    );

    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(cases, async ({ base, body, query }) => {
        const params = [...base.params];
        const path = base.operation.path.replace(/\{[^}]+\}/g, () => params.shift() ?? 'x') + query;
        const headers: Record<string, string> = { ...base.headers };
        if (base.contentType) headers['content-type'] = base.contentType;
        if (base.signBody) headers['x-hub-signature-256'] = signBody(body);
        if (base.signBody) headers['x-telegram-bot-api-secret-token'] = TELEGRAM_SECRET;
        const token =
          base.token === 'none' ? null : base.token === 'bad' ? 'lkt_not-a-token' : h.tokens[base.token];
        const withBody = base.operation.method !== 'GET' && base.operation.method !== 'DELETE';
        const response = (await h.request(base.operation.method, path, {
          token,
          headers,
          ...(withBody ? { raw: body } : {}),
        })) as Response;
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        await expectWellFormedRefusal(response, `${base.operation.method} ${path}`).catch((error: Error) => {
          const inside = logged.splice(0).map((entry) => String((entry as { err?: unknown }).err));
          throw new Error(`${error.message}\n${inside.join('\n')}`);
        });
      }),
      { numRuns: TOTAL_RUNS, endOnFailure: true },
    );

    // The cases got past authentication and parsing, not only bounced off them.
    for (const status of [200, 400, 401, 403, 404])
      expect(seen.get(status), String(status)).toBeGreaterThan(0);
    // Still serving, and still serving correctly.
    expect((await h.request('GET', '/healthz', { token: null })).status).toBe(200);
    const inbox = await h.request('GET', '/v1/tickets', { token: h.tokens.admin });
    expect(inbox.status).toBe(200);
    expect((await inbox.json()).items.length).toBeGreaterThan(0);
  }, 600_000);
});
