import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

describe.each(databaseKinds())('admin API on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.close());
  const asAdmin = { token: '' };
  beforeAll(() => {
    asAdmin.token = h.tokens.admin;
  });

  it('creates a user whose token works once shown, and refuses a second user with that email', async () => {
    const created = await h.request('POST', '/v1/admin/users', {
      ...asAdmin,
      body: { name: 'Dewi Lestari', email: 'Dewi@Depok.go.id', role: 'supervisor' },
    });
    expect(created.status).toBe(201);
    const { user, token } = await created.json();
    expect(user).toMatchObject({
      name: 'Dewi Lestari',
      email: 'dewi@depok.go.id',
      role: 'supervisor',
      active: true,
    });
    expect(token).toMatch(/^lkt_/);
    expect((await h.request('GET', '/v1/tickets', { token })).status).toBe(200);
    expect((await h.request('GET', '/v1/admin/settings', { token })).status).toBe(403);
    const again = await h.request('POST', '/v1/admin/users', {
      ...asAdmin,
      body: { name: 'Dewi', email: 'dewi@depok.go.id', role: 'officer' },
    });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('USER_EXISTS');
  });

  it('rejects a user with a bad role or email', async () => {
    const response = await h.request('POST', '/v1/admin/users', {
      ...asAdmin,
      body: { name: 'X', email: 'not-an-email', role: 'root' },
    });
    expect(response.status).toBe(400);
    const paths = (await response.json()).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'role']));
  });

  it("serves Depok's policy by default and merges a partial change", async () => {
    const before = await (await h.request('GET', '/v1/admin/settings', asAdmin)).json();
    expect(before).toMatchObject({
      timezone: 'Asia/Jakarta',
      serviceHours: { days: [1, 2, 3, 4, 5], open: '08:00', close: '12:00' },
      sla: { firstResponse: 'PT72H', warnAt: 0.8, clockStarts: 'next_opening' },
      services: expect.arrayContaining([
        expect.objectContaining({ code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: null }),
      ]),
    });
    const patched = await h.request('PATCH', '/v1/admin/settings', {
      ...asAdmin,
      body: { sla: { firstResponse: 'PT48H' }, holidays: ['2026-08-17'] },
    });
    expect(patched.status).toBe(200);
    const after = await (await h.request('GET', '/v1/admin/settings', asAdmin)).json();
    expect(after.sla).toEqual({ firstResponse: 'PT48H', warnAt: 0.8, clockStarts: 'next_opening' });
    expect(after.holidays).toEqual(['2026-08-17']);
    expect(after.serviceHours).toEqual(before.serviceHours);
  });

  it('applies a policy change to new tickets at once', async () => {
    await h.request('PATCH', '/v1/admin/settings', { ...asAdmin, body: { sla: { firstResponse: 'PT2S' } } });
    const policy = await h.repos.settings.getPolicy();
    expect(policy.sla.firstResponse).toBe('PT2S');
  });

  it('rejects a bad policy with field paths', async () => {
    const response = await h.request('PATCH', '/v1/admin/settings', {
      ...asAdmin,
      body: { timezone: 'Asia/Nowhere', serviceHours: { open: '8am' } },
    });
    expect(response.status).toBe(400);
    const paths = (await response.json()).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['timezone', 'serviceHours.open']));
    const never = await h.request('PATCH', '/v1/admin/settings', {
      ...asAdmin,
      body: { serviceHours: { open: '12:00', close: '08:00' } },
    });
    expect(never.status).toBe(400);
    expect((await never.json()).error.issues[0].path).toBe('serviceHours');
  });

  it('lists every channel and toggles a configured one; an unconfigured one is a 409', async () => {
    const { items } = await (await h.request('GET', '/v1/admin/channels', asAdmin)).json();
    expect(items.map((c: { channel: string }) => c.channel)).toEqual([
      'telegram',
      'whatsapp',
      'instagram',
      'whatsapp-cloud',
      'instagram-graph',
    ]);
    const on = await h.request('PATCH', '/v1/admin/channels/telegram', {
      ...asAdmin,
      body: { enabled: true },
    });
    expect(await on.json()).toMatchObject({ channel: 'telegram', enabled: true, configured: true });
    const whatsapp = await h.request('PATCH', '/v1/admin/channels/whatsapp', {
      ...asAdmin,
      body: { enabled: true },
    });
    expect(whatsapp.status).toBe(409);
    expect((await whatsapp.json()).error.code).toBe('CHANNEL_NOT_CONFIGURED');
    const unknown = await h.request('PATCH', '/v1/admin/channels/fax', {
      ...asAdmin,
      body: { enabled: true },
    });
    expect(unknown.status).toBe(400);
  });

  it('keeps an audit trail of admin actions, newest first, with a cursor', async () => {
    const first = await (await h.request('GET', '/v1/admin/audit?limit=2', asAdmin)).json();
    expect(first.items).toHaveLength(2);
    expect(first.items[0].action).toBe('channel.enable');
    expect(first.nextCursor).toEqual(expect.any(String));
    const next = await (
      await h.request('GET', `/v1/admin/audit?limit=50&cursor=${first.nextCursor}`, asAdmin)
    ).json();
    const actions = next.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['settings.update', 'user.create']));
  });
});
