import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './harness.ts';

type Role = 'officer' | 'supervisor' | 'admin';
const RANK: Record<Role, number> = { officer: 1, supervisor: 2, admin: 3 };

/**
 * Who may call what: every staff route of the OpenAPI document, the least role it needs, and a body
 * that passes validation where one is needed (so a refusal can only be about the role). The test
 * fails when a route is added without a line here.
 */
const ROUTES: [method: string, path: string, least: Role, body?: unknown][] = [
  ['GET', '/v1/tickets', 'officer'],
  ['GET', '/v1/tickets/{id}', 'officer'],
  ['PATCH', '/v1/tickets/{id}', 'officer', { priority: 'high' }],
  ['GET', '/v1/tickets/{id}/messages', 'officer'],
  ['POST', '/v1/tickets/{id}/notes', 'officer', { text: 'catatan' }],
  ['POST', '/v1/tickets/{id}/replies', 'officer', { text: 'balasan' }],
  ['GET', '/v1/attachments/{id}', 'officer'],
  ['GET', '/v1/events', 'officer'],
  ['GET', '/v1/staff', 'officer'],
  ['GET', '/v1/canned-responses', 'officer'],
  ['GET', '/v1/canned-responses/{id}', 'officer'],
  ['GET', '/v1/canned-responses/{id}/preview', 'officer'],
  [
    'POST',
    '/v1/canned-responses',
    'supervisor',
    { shortcut: 'uji-peran', title: 'Uji', body: 'Halo {{nama}}' },
  ],
  ['PATCH', '/v1/canned-responses/{id}', 'supervisor', { title: 'Uji lagi' }],
  ['DELETE', '/v1/canned-responses/{id}', 'supervisor'],
  ['GET', '/v1/complaints', 'supervisor'],
  ['GET', '/v1/complaints/{id}', 'supervisor'],
  ['PATCH', '/v1/complaints/{id}', 'supervisor', { status: 'verified' }],
  ['GET', '/v1/reports/summary', 'supervisor'],
  ['GET', '/v1/admin/audit', 'admin'],
  ['GET', '/v1/admin/banners', 'admin'],
  ['GET', '/v1/admin/banners/print', 'admin'],
  ['GET', '/v1/admin/banners/{code}/qr.png', 'admin'],
  ['GET', '/v1/admin/channels', 'admin'],
  ['PATCH', '/v1/admin/channels/{channel}', 'admin', { config: {} }],
  ['GET', '/v1/admin/channels/whatsapp/qr', 'admin'],
  ['POST', '/v1/admin/channels/whatsapp/pairing-code', 'admin', { phoneNumber: '6281234567890' }],
  ['GET', '/v1/admin/contacts', 'admin'],
  ['GET', '/v1/admin/contacts/{id}', 'admin'],
  ['GET', '/v1/admin/contacts/{id}/export', 'admin'],
  ['POST', '/v1/admin/contacts/{id}/anonymise', 'admin'],
  ['GET', '/v1/admin/settings', 'admin'],
  ['PATCH', '/v1/admin/settings', 'admin', { officeName: 'Disdukcapil Kota Depok' }],
  ['GET', '/v1/admin/users', 'admin'],
  ['POST', '/v1/admin/users', 'admin', { name: 'Uji', email: 'uji-peran@example.go.id', role: 'officer' }],
  ['GET', '/v1/admin/users/{id}', 'admin'],
  ['PATCH', '/v1/admin/users/{id}', 'admin', { name: 'Nama Baru' }],
  ['POST', '/v1/admin/users/{id}/token', 'admin'],
  ['GET', '/v1/admin/webhooks', 'admin'],
  ['POST', '/v1/admin/webhooks', 'admin', { url: 'https://hooks.example.go.id/loket' }],
  ['GET', '/v1/admin/webhooks/{id}', 'admin'],
  ['PATCH', '/v1/admin/webhooks/{id}', 'admin', { active: false }],
  ['DELETE', '/v1/admin/webhooks/{id}', 'admin'],
  ['POST', '/v1/admin/webhooks/{id}/secret', 'admin'],
];

/** Ids that do not exist: an allowed role then gets 404 (or 400), never 401 or 403. */
const concrete = (path: string) =>
  path.replace('{id}', 'tidak-ada').replace('{code}', 'beji--kukusan').replace('{channel}', 'telegram');

describe('every staff route × every role × no token', () => {
  let h: Harness;
  beforeAll(async () => {
    // Two failed logins per route add up: the brute-force limit (tested on its own) must not answer here.
    h = await createHarness('pglite', { authFailureLimit: 100_000 });
  });
  afterAll(() => h?.close());

  it('has a line for every route of the OpenAPI document, and no line for a route that is gone', async () => {
    const doc = (await (await h.request('GET', '/openapi.json', { token: null })).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
    expect(ROUTES.map(([method, path]) => `${method} ${path}`).sort()).toEqual(documented.sort());
  });

  for (const [method, path, least, body] of ROUTES) {
    it(`${method} ${path}: 401 without a token, 403 below ${least}, allowed from ${least} up`, async () => {
      const url = concrete(path);
      const send = async (token: string | null) => {
        const response = (await h.request(method, url, {
          token,
          ...(body === undefined ? {} : { body }),
        })) as Response;
        // A granted event stream never ends by itself.
        await response.body?.cancel();
        return response.status;
      };
      expect(await send(null)).toBe(401);
      expect(await send('not-a-real-token-000000000000000')).toBe(401);
      for (const role of ['officer', 'supervisor', 'admin'] as const) {
        const status = await send(h.tokens[role]);
        if (RANK[role] < RANK[least]) expect(status, role).toBe(403);
        else expect([401, 403], `${role} got ${status}`).not.toContain(status);
      }
    });
  }
});
