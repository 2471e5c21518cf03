import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const SECRET_FORMAT = /^whsec_[A-Za-z0-9_-]{43}$/;

describe.each(databaseKinds())('admin webhooks API on %s', (kind) => {
  let h: Harness;
  const asAdmin = { token: '' };
  beforeAll(async () => {
    h = await createHarness(kind);
    asAdmin.token = h.tokens.admin;
  });
  afterAll(() => h.close());

  const create = async (body: Record<string, unknown>) => {
    const response = await h.request('POST', '/v1/admin/webhooks', { ...asAdmin, body });
    expect(response.status).toBe(201);
    return response.json();
  };

  it('registers an endpoint at the newest event and shows its secret only once', async () => {
    await h.receive();
    const latest = await h.repos.events.latestId();
    expect(latest).not.toBe('0');
    const { endpoint, secret } = await create({
      url: 'https://siak.example.go.id/loket?source=depok',
      events: ['ticket.created', 'sla.breached', 'ticket.created'],
      description: 'SIAK bridge',
    });
    expect(secret).toMatch(SECRET_FORMAT);
    expect(endpoint).toMatchObject({
      url: 'https://siak.example.go.id/loket?source=depok',
      events: ['ticket.created', 'sla.breached'],
      active: true,
      description: 'SIAK bridge',
      lastEventId: latest,
      failures: 0,
      nextAttemptAt: null,
      lastError: null,
      lastDeliveredAt: null,
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
    });
    const list = await h.request('GET', '/v1/admin/webhooks', asAdmin);
    expect(list.status).toBe(200);
    const listed = await list.text();
    expect(listed).toContain(endpoint.id);
    expect(listed).not.toContain(secret);
    expect(listed).not.toContain('whsec_');
    const one = await h.request('GET', `/v1/admin/webhooks/${endpoint.id}`, asAdmin);
    expect(await one.json()).toEqual(endpoint);
    const all = await create({ url: 'http://127.0.0.1:9/hook' });
    expect(all.endpoint).toMatchObject({ events: [], description: null });
  });

  it('refuses URLs that are not http(s), carry credentials or are too long, and unknown event types', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'ftp://files.example/hook' }, 'url'],
      [{ url: 'https://user:pass@example.go.id/hook' }, 'url'],
      [{ url: `https://example.go.id/${'a'.repeat(2000)}` }, 'url'],
      [{ url: 'not a url' }, 'url'],
      [{ url: 'https://example.go.id/hook', events: ['ticket.deleted'] }, 'events.0'],
      [{ url: 'https://example.go.id/hook', secret: 'mine' }, '(body)'],
    ];
    for (const [body, path] of cases) {
      const response = await h.request('POST', '/v1/admin/webhooks', { ...asAdmin, body });
      expect(response.status).toBe(400);
      const paths = (await response.json()).error.issues.map((i: { path: string }) => i.path);
      expect(paths).toContain(path);
    }
  });

  it('shows the backoff after failures, and switching the endpoint back on clears it', async () => {
    const { endpoint } = await create({ url: 'https://down.example/hook' });
    const now = new Date();
    const turn = await h.repos.webhookEndpoints.claim(endpoint.id, now, new Date(now.getTime() + 30_000));
    if (!turn) throw new Error('expected a turn');
    const retryAt = new Date(now.getTime() + 3_600_000);
    await h.repos.webhookEndpoints.recordFailure(turn, {
      lastEventId: turn.lastEventId,
      error: 'HTTP 503 Service Unavailable',
      retryAt,
      failedAt: now,
    });
    const failing = await (await h.request('GET', `/v1/admin/webhooks/${endpoint.id}`, asAdmin)).json();
    expect(failing).toMatchObject({
      failures: 1,
      nextAttemptAt: retryAt.toISOString(),
      lastError: 'HTTP 503 Service Unavailable',
    });
    const off = await h.request('PATCH', `/v1/admin/webhooks/${endpoint.id}`, {
      ...asAdmin,
      body: { active: false, description: 'paused while they fix it' },
    });
    expect(await off.json()).toMatchObject({
      active: false,
      failures: 1,
      description: 'paused while they fix it',
    });
    const on = await h.request('PATCH', `/v1/admin/webhooks/${endpoint.id}`, {
      ...asAdmin,
      body: { active: true, events: ['complaint.created'] },
    });
    expect(on.status).toBe(200);
    expect(await on.json()).toMatchObject({
      active: true,
      events: ['complaint.created'],
      failures: 0,
      nextAttemptAt: null,
    });
    const bad = await h.request('PATCH', `/v1/admin/webhooks/${endpoint.id}`, {
      ...asAdmin,
      body: { url: 'javascript:alert(1)' },
    });
    expect(bad.status).toBe(400);
  });

  it('shows when Loket switched a failing endpoint off and why; switching it back on clears that', async () => {
    const { endpoint } = await create({ url: 'https://gone-for-days.example/hook' });
    const failingSince = new Date(Date.now() - 3 * 86_400_000);
    const now = new Date();
    const turn = await h.repos.webhookEndpoints.claim(endpoint.id, now, new Date(now.getTime() + 30_000));
    if (!turn) throw new Error('expected a turn');
    const reason = 'no delivery for 3 days; last error: HTTP 503 Service Unavailable';
    await h.repos.webhookEndpoints.disable(
      { ...turn, failingSince },
      {
        lastEventId: turn.lastEventId,
        error: 'HTTP 503 Service Unavailable',
        reason,
        audit: { actorId: null, action: 'webhook.disabled', target: `webhook:${endpoint.id}`, at: now },
      },
    );
    const off = await (await h.request('GET', `/v1/admin/webhooks/${endpoint.id}`, asAdmin)).json();
    expect(off).toMatchObject({
      active: false,
      failures: 1,
      failingSince: failingSince.toISOString(),
      disabledAt: now.toISOString(),
      disabledReason: reason,
      lastError: 'HTTP 503 Service Unavailable',
    });
    const { items } = await (
      await h.request('GET', '/v1/admin/audit?action=webhook.disabled&limit=50', asAdmin)
    ).json();
    expect(items.filter((i: { target: string }) => i.target === `webhook:${endpoint.id}`)).toMatchObject([
      { actorId: null, action: 'webhook.disabled' },
    ]);
    const on = await h.request('PATCH', `/v1/admin/webhooks/${endpoint.id}`, {
      ...asAdmin,
      body: { active: true },
    });
    expect(await on.json()).toMatchObject({
      active: true,
      failures: 0,
      nextAttemptAt: null,
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
      lastEventId: endpoint.lastEventId,
    });
  });

  it('rotates the secret: a new one, shown once, used from then on', async () => {
    const { endpoint, secret } = await create({ url: 'https://rotate.example/hook' });
    const rotated = await h.request('POST', `/v1/admin/webhooks/${endpoint.id}/secret`, asAdmin);
    expect(rotated.status).toBe(200);
    const body = await rotated.json();
    expect(body.secret).toMatch(SECRET_FORMAT);
    expect(body.secret).not.toBe(secret);
    expect(body.endpoint.id).toBe(endpoint.id);
    const now = new Date();
    const turn = await h.repos.webhookEndpoints.claim(endpoint.id, now, new Date(now.getTime() + 1000));
    expect(turn?.secret).toBe(body.secret);
    const shown = await (await h.request('GET', `/v1/admin/webhooks/${endpoint.id}`, asAdmin)).text();
    expect(shown).not.toContain('whsec_');
  });

  it('deletes an endpoint; unknown ids are 404', async () => {
    const { endpoint } = await create({ url: 'https://gone.example/hook' });
    const deleted = await h.request('DELETE', `/v1/admin/webhooks/${endpoint.id}`, asAdmin);
    expect(deleted.status).toBe(204);
    for (const [method, path, body] of [
      ['GET', `/v1/admin/webhooks/${endpoint.id}`, undefined],
      ['DELETE', `/v1/admin/webhooks/${endpoint.id}`, undefined],
      ['PATCH', `/v1/admin/webhooks/${endpoint.id}`, { active: true }],
      ['POST', `/v1/admin/webhooks/${endpoint.id}/secret`, undefined],
    ] as const) {
      const response = await h.request(method, path, { ...asAdmin, body });
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('NOT_FOUND');
    }
  });

  it('audits every change, without the secret', async () => {
    const { endpoint, secret } = await create({ url: 'https://audit.example/hook?token=abc' });
    await h.request('PATCH', `/v1/admin/webhooks/${endpoint.id}`, { ...asAdmin, body: { active: false } });
    await h.request('POST', `/v1/admin/webhooks/${endpoint.id}/secret`, asAdmin);
    await h.request('DELETE', `/v1/admin/webhooks/${endpoint.id}`, asAdmin);
    const { items } = await (
      await h.request('GET', '/v1/admin/audit?action=webhook.&limit=50', asAdmin)
    ).json();
    const mine = items.filter((i: { target: string }) => i.target === `webhook:${endpoint.id}`);
    expect(mine.map((i: { action: string }) => i.action)).toEqual([
      'webhook.delete',
      'webhook.rotate_secret',
      'webhook.update',
      'webhook.create',
    ]);
    expect(JSON.stringify(mine)).not.toContain(secret);
  });

  describe('roles', () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/v1/admin/webhooks'],
      ['POST', '/v1/admin/webhooks', { url: 'https://roles.example/hook' }],
      ['GET', '/v1/admin/webhooks/some-id'],
      ['PATCH', '/v1/admin/webhooks/some-id', { active: false }],
      ['DELETE', '/v1/admin/webhooks/some-id'],
      ['POST', '/v1/admin/webhooks/some-id/secret'],
    ];
    it.each(routes)('%s %s: officer and supervisor 403, no token 401', async (method, path, body) => {
      for (const role of ['officer', 'supervisor'] as const) {
        const response = await h.request(method, path, { token: h.tokens[role], body });
        expect(response.status).toBe(403);
      }
      expect((await h.request(method, path, { token: null, body })).status).toBe(401);
    });
  });

  it('is documented in the OpenAPI document', async () => {
    const document = await (await h.request('GET', '/openapi.json', { token: null })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/admin/webhooks',
        '/v1/admin/webhooks/{id}',
        '/v1/admin/webhooks/{id}/secret',
      ]),
    );
  });
});
