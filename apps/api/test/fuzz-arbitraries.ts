// Hostile inputs for the fuzz tests: what a careless client or an attacker sends to an HTTP API.
import fc from 'fast-check';
import { errorCodeSchema, STATUS_OF } from '../src/errors.ts';
import { TEST_ENV } from './test-env.ts';

/**
 * Total fuzz cases of a test file: FUZZ_RUNS (`pnpm test:reliability` sets 10,000), or a light default
 * that keeps the everyday suite fast.
 */
export function fuzzRuns(lightDefault: number): number {
  return TEST_ENV.FUZZ_RUNS ?? lightDefault;
}

// apps/loket's webhook fuzz uses fast-check through here: it is a dependency of this app only.
export { fc };

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Strings that have broken parsers, databases and loggers before. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udfff\ud800',
    '\u202e\u2066',
    '🇮🇩👨‍👩‍👧‍👦',
    'Ａ𝔸ﬁ',
    '%',
    '%00',
    '%E0%A4%A',
    '../../etc/passwd',
    "'; DROP TABLE tickets; --",
    '\\',
    '"',
    '{{nama}}{{',
    '<script>alert(1)</script>',
    'NaN',
    'Infinity',
    '-0',
    '1e400',
    '9223372036854775808',
    '99999999999999999999',
    '2026-13-45T25:61:61Z',
    '3276012345670001',
    ...PROTO_KEYS,
  ),
  fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

export const hostileNumber: fc.Arbitrary<number | bigint | string> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 53), Number.MAX_VALUE, 1e308, 5e-324),
  fc.bigInt().map((n) => n),
);

/** Any JSON-ish value, nested a few levels, including the keys of prototype pollution. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 })), tie('value'), {
      maxKeys: 4,
    }),
  ),
})).value;

/** JSON text that can hold bigints and huge literals (JSON.stringify refuses bigints). */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `__big${v}__` : v)).replace(
    /"__big(-?\d+)__"/g,
    '$1',
  );
}

/** An object with the route's own field names (so validation goes deep) holding hostile values. */
export function hostileObject(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  const key = fields.length
    ? fc.oneof(fc.constantFrom(...fields), fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 }))
    : fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 }));
  return fc.dictionary(key, hostileValue, { maxKeys: 6 });
}

/** Raw body text: valid-looking JSON of the wrong shape, broken JSON, deep nesting, no JSON at all. */
export function hostileBody(fields: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileObject(fields).map(toJsonText) },
    { weight: 1, arbitrary: hostileValue.map(toJsonText) },
    { weight: 1, arbitrary: hostileString },
    {
      weight: 1,
      arbitrary: hostileObject(fields)
        .map(toJsonText)
        .chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 200_000 }), fc.constantFrom('[', '{"a":'))
        .map(([depth, open]) => open.repeat(depth) + (open === '[' ? ']' : '}').repeat(depth)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"role":"admin","isAdmin":true},"constructor":{"prototype":{"polluted":1}}}',
        '\ufeff{}',
        '{"a":1,"a":2}',
        '{"text":"\\ud800"}',
        '[1e999999]',
        'null',
        'true',
        '0',
        '"string"',
        `{"text":${'9'.repeat(5000)}}`,
      ),
    },
  );
}

/** Content-Type values that lie about the body. */
export const contentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/xml',
  '*/*',
  'application/json; charset=zzz',
  undefined,
);

/** A path segment: hostile text percent-encoded, or raw bytes that are not valid percent-encoding. */
export const pathSegment: fc.Arbitrary<string> = fc.oneof(
  hostileString
    .filter((s) => s.length < 3000)
    .map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))),
  fc.constantFrom('%', '%zz', '%E0%A4%A', '..', '.', '%2e%2e', '%00', '%2F', 'a%252F', '~'),
);

/** A query string: the route's own parameters and stray ones, with hostile, repeated or broken values. */
export function queryString(names: string[]): fc.Arbitrary<string> {
  const name = names.length
    ? fc.oneof(fc.constantFrom(...names), fc.constantFrom('__proto__', 'constructor', 'x'))
    : fc.constantFrom('__proto__', 'constructor', 'x');
  const value = fc.oneof(pathSegment, hostileNumber.map(String), fc.constant(''));
  return fc
    .array(
      fc.tuple(name, value).map(([n, v]) => `${n}=${v}`),
      { maxLength: 5 },
    )
    .map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
}

/** Headers a client may lie about: Last-Event-ID, X-Request-Id, Accept, the webhooks' secrets. */
export const extraHeaders: fc.Arbitrary<Record<string, string>> = fc
  .record(
    {
      'last-event-id': fc.oneof(
        fc.constantFrom('0', '-1', '1.5', '9'.repeat(19), '9'.repeat(40), 'abc', ' 12 ', '1e3'),
        fc.bigInt({ min: 0n, max: 10n ** 19n }).map(String),
      ),
      'x-request-id': fc.oneof(fc.string({ maxLength: 300 }), fc.constant('a'.repeat(101))),
      accept: fc.constantFrom('image/png', 'text/csv', '*/*', 'application/xml', ';;;'),
      'x-hub-signature-256': fc.oneof(fc.string({ maxLength: 80 }), fc.constant('sha256=')),
      'x-telegram-bot-api-secret-token': fc.string({ maxLength: 80 }),
    },
    { requiredKeys: [] },
  )
  // Header values are Latin-1 text without line breaks; anything else never leaves the client.
  .map((headers) =>
    Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k, v.replace(/[^\x20-\x7e]/g, '?')] as const),
    ),
  );

const KNOWN_CODES = new Set<string>(errorCodeSchema.options);

/**
 * The fuzz oracle: no 5xx (beyond a channel that is designed to answer 503 while off), and every
 * refusal is the error envelope with a known code that matches its status.
 */
export async function expectWellFormedRefusal(
  response: Response,
  label: string,
  options: { allowDesigned503?: boolean } = {},
): Promise<void> {
  const status = response.status;
  if (status < 400) {
    await response.body?.cancel();
    return;
  }
  const text = await response.text();
  let parsed: { error?: { code?: unknown; message?: unknown; requestId?: unknown } };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${label}: ${status} without a JSON envelope: ${text.slice(0, 200)}`);
  }
  const error = parsed.error;
  const code = String(error?.code);
  const ok =
    KNOWN_CODES.has(code) &&
    STATUS_OF[code as keyof typeof STATUS_OF] === status &&
    typeof error?.message === 'string' &&
    typeof error?.requestId === 'string' &&
    error.requestId.length > 0;
  if (!ok) throw new Error(`${label}: ${status} with a bad envelope: ${text.slice(0, 300)}`);
  const designed503 =
    (options.allowDesigned503 ?? true) &&
    status === 503 &&
    (code === 'CHANNEL_DISABLED' || code === 'CHANNEL_UNAVAILABLE');
  if (status >= 500 && !designed503) throw new Error(`${label}: ${status} ${text.slice(0, 300)}`);
}

/** A valid payload with one node replaced by a hostile value, or removed: the parser's edge cases. */
export function mutatedJson(payload: unknown): fc.Arbitrary<unknown> {
  const count = countNodes(payload);
  return fc
    .tuple(fc.nat(count - 1), fc.option(hostileValue, { freq: 6 }), fc.boolean())
    .map(([target, value, remove]) => replaceNode(structuredClone(payload), target, value, remove));
}

function countNodes(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  return 1 + Object.values(value).reduce<number>((sum, child) => sum + countNodes(child), 0);
}

/** Replaces the n-th node in depth-first order (0 is the root); `remove` deletes it from its parent. */
function replaceNode(root: unknown, target: number, value: unknown, remove: boolean): unknown {
  if (target === 0) return value;
  let seen = 0;
  const visit = (node: unknown): boolean => {
    if (node === null || typeof node !== 'object') return false;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      seen += 1;
      if (seen === target) {
        if (remove && !Array.isArray(record)) delete record[key];
        else record[key] = value;
        return true;
      }
      if (visit(record[key])) return true;
    }
    return false;
  };
  visit(root);
  return root;
}
