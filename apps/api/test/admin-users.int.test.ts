import type { AuditLog } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

type Role = 'officer' | 'supervisor' | 'admin';

describe.each(databaseKinds())('staff administration on %s', (kind) => {
  let h: Harness;
  let audit: MockInstance<AuditLog['record']>;
  beforeAll(async () => {
    h = await createHarness(kind);
    // The routes call this very object, so the spy sees every entry with its meta.
    audit = vi.spyOn(h.repos.audit, 'record');
  });
  afterAll(() => h.close());
  const asAdmin = () => ({ token: h.tokens.admin });
  const lastAudit = () => audit.mock.calls.at(-1)?.[0];

  async function addStaff(name: string, role: Role = 'officer') {
    const response = await h.request('POST', '/v1/admin/users', {
      ...asAdmin(),
      body: { name, email: `${name.toLowerCase().replaceAll(' ', '.')}@depok.go.id`, role },
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { user: { id: string }; token: string };
  }

  describe('roles: every route, every role, and no token', () => {
    // `:officer` and `:supervisor` stand for those users' ids.
    const routes: [string, string, unknown][] = [
      ['GET', '/v1/admin/users', undefined],
      ['GET', '/v1/admin/users/:officer', undefined],
      ['POST', '/v1/admin/users', { name: 'X', email: 'x@x.id', role: 'officer' }],
      ['PATCH', '/v1/admin/users/:officer', { name: 'Test officer' }],
      ['POST', '/v1/admin/users/:supervisor/token', undefined],
    ];
    const pathOf = (template: string) =>
      template.replace(':officer', h.userIds.officer).replace(':supervisor', h.userIds.supervisor);
    it.each(routes)('%s %s', async (method, template, body) => {
      for (const token of [null, h.tokens.officer, h.tokens.supervisor]) {
        const response = await h.request(method, pathOf(template), { token, body });
        expect(response.status).toBe(token ? 403 : 401);
      }
      const response = await h.request(method, pathOf(template), { ...asAdmin(), body });
      expect(response.status).toBeLessThan(300);
      // The supervisor's token was rotated: keep the harness's copy working for later tests.
      if (template.endsWith('/token')) h.tokens.supervisor = (await response.json()).token;
    });
  });

  it('lists staff by name, filtered by role and active, and gets one', async () => {
    const all = (await (await h.request('GET', '/v1/admin/users', asAdmin())).json()).items;
    const names = all.map((u: { name: string }) => u.name);
    expect(names).toEqual([...names].sort());
    expect(all[0]).toEqual(
      expect.objectContaining({
        autoAssign: true,
        services: [],
        active: true,
        createdAt: expect.any(String),
      }),
    );
    expect(all[0]).not.toHaveProperty('tokenHash');
    const supervisors = await (await h.request('GET', '/v1/admin/users?role=supervisor', asAdmin())).json();
    expect(supervisors.items.map((u: { id: string }) => u.id)).toEqual([h.userIds.supervisor]);
    const inactive = await (await h.request('GET', '/v1/admin/users?active=false', asAdmin())).json();
    expect(inactive.items).toEqual([]);
    expect((await h.request('GET', '/v1/admin/users?role=root', asAdmin())).status).toBe(400);
    const one = await h.request('GET', `/v1/admin/users/${h.userIds.officer}`, asAdmin());
    expect(await one.json()).toMatchObject({ id: h.userIds.officer, role: 'officer' });
    const missing = await h.request('GET', '/v1/admin/users/nobody', asAdmin());
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('USER_NOT_FOUND');
  });

  it('changes name, role and round-robin settings, and audits what moved', async () => {
    const { user } = await addStaff('Rudi Hartono');
    const response = await h.request('PATCH', `/v1/admin/users/${user.id}`, {
      ...asAdmin(),
      body: { name: 'Rudi H.', role: 'supervisor', autoAssign: false, services: ['KK', 'KIA', 'KK'] },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      name: 'Rudi H.',
      role: 'supervisor',
      autoAssign: false,
      services: ['KK', 'KIA'],
    });
    expect(lastAudit()).toEqual({
      actorId: h.userIds.admin,
      action: 'user.update',
      target: `user:${user.id}`,
      meta: {
        changes: {
          name: {},
          role: { from: 'officer', to: 'supervisor' },
          autoAssign: { from: true, to: false },
          services: { from: [], to: ['KK', 'KIA'] },
        },
      },
    });
    expect(JSON.stringify(lastAudit())).not.toContain('Rudi');
  });

  it('refuses bad changes with field paths, and unknown users with 404', async () => {
    const bad = await h.request('PATCH', `/v1/admin/users/${h.userIds.officer}`, {
      ...asAdmin(),
      body: { role: 'root', services: ['NOT_A_SERVICE'], active: 'no' },
    });
    expect(bad.status).toBe(400);
    const paths = (await bad.json()).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['role', 'services.0', 'active']));
    for (const body of [{}, { email: 'new@x.id' }]) {
      const response = await h.request('PATCH', `/v1/admin/users/${h.userIds.officer}`, {
        ...asAdmin(),
        body,
      });
      expect(response.status).toBe(400);
    }
    const missing = await h.request('PATCH', '/v1/admin/users/nobody', { ...asAdmin(), body: { name: 'X' } });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('USER_NOT_FOUND');
  });

  it('disables a user: their token gets 401 everywhere at once, until they are enabled again', async () => {
    const { user, token } = await addStaff('Sari Dewi');
    expect((await h.request('GET', '/v1/tickets', { token })).status).toBe(200);
    const disabled = await h.request('PATCH', `/v1/admin/users/${user.id}`, {
      ...asAdmin(),
      body: { active: false },
    });
    expect(await disabled.json()).toMatchObject({ active: false });
    expect(lastAudit()).toMatchObject({ action: 'user.disable', target: `user:${user.id}` });
    for (const path of ['/v1/tickets', '/v1/canned-responses', '/v1/complaints']) {
      const response = await h.request('GET', path, { token });
      expect(response.status, path).toBe(401);
      expect((await response.json()).error.code).toBe('UNAUTHORIZED');
    }
    await h.request('PATCH', `/v1/admin/users/${user.id}`, { ...asAdmin(), body: { active: true } });
    expect(lastAudit()).toMatchObject({ action: 'user.enable' });
    expect((await h.request('GET', '/v1/tickets', { token })).status).toBe(200);
  });

  it('rotates a token: the new one is shown once, the old one stops at once, the audit never holds it', async () => {
    const { user, token: old } = await addStaff('Tono');
    const response = await h.request('POST', `/v1/admin/users/${user.id}/token`, asAdmin());
    expect(response.status).toBe(200);
    const { user: shown, token } = await response.json();
    expect(shown).toMatchObject({ id: user.id, name: 'Tono' });
    expect(token).toMatch(/^lkt_/);
    expect(token).not.toBe(old);
    expect((await h.request('GET', '/v1/tickets', { token: old })).status).toBe(401);
    expect((await h.request('GET', '/v1/tickets', { token })).status).toBe(200);
    expect(lastAudit()).toEqual({
      actorId: h.userIds.admin,
      action: 'user.token.rotate',
      target: `user:${user.id}`,
    });
    const everything = JSON.stringify(audit.mock.calls);
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(old);
    const missing = await h.request('POST', '/v1/admin/users/nobody/token', asAdmin());
    expect(missing.status).toBe(404);
  });

  // Last: it changes who the admins are.
  it('never lets the last active admin be disabled or demoted; a second admin makes it possible', async () => {
    for (const body of [{ active: false }, { role: 'supervisor' }]) {
      const response = await h.request('PATCH', `/v1/admin/users/${h.userIds.admin}`, { ...asAdmin(), body });
      expect(response.status).toBe(409);
      const { error } = await response.json();
      expect(error.code).toBe('LAST_ADMIN');
      expect(error.message).toContain('without an active admin');
    }
    const still = await (await h.request('GET', `/v1/admin/users/${h.userIds.admin}`, asAdmin())).json();
    expect(still).toMatchObject({ role: 'admin', active: true });
    const second = await addStaff('Kepala Dinas', 'admin');
    const demoted = await h.request('PATCH', `/v1/admin/users/${h.userIds.admin}`, {
      ...asAdmin(),
      body: { role: 'supervisor' },
    });
    expect(demoted.status).toBe(200);
    expect((await h.request('GET', '/v1/admin/users', asAdmin())).status).toBe(403);
    const back = await h.request('PATCH', `/v1/admin/users/${second.user.id}`, {
      token: second.token,
      body: { active: false },
    });
    expect(back.status).toBe(409);
  });
  it('lets any staff member see whom to assign to: active staff, ids, names and roles only', async () => {
    const { items } = await (await h.request('GET', '/v1/staff', { token: h.tokens.officer })).json();
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const member of items) expect(Object.keys(member).sort()).toEqual(['id', 'name', 'role']);
  });
});

describe('failed authentication throttling with rotated and disabled tokens', () => {
  it('counts them as failures and answers 429 with Retry-After', async () => {
    const h = await createHarness('pglite', { authFailureLimit: 3, authFailureWindowMs: 60_000 });
    try {
      const admin = { token: h.tokens.admin };
      const old = h.tokens.officer;
      await h.request('POST', `/v1/admin/users/${h.userIds.officer}/token`, admin);
      await h.request('PATCH', `/v1/admin/users/${h.userIds.supervisor}`, {
        ...admin,
        body: { active: false },
      });
      const statuses: number[] = [];
      for (const token of [old, h.tokens.supervisor, old, h.tokens.admin])
        statuses.push((await h.request('GET', '/v1/tickets', { token })).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await h.request('GET', '/v1/tickets', admin);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});
