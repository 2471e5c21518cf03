import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const NIK = '3276010101010001';
type Entry = { id: string; actorId: string | null; action: string; target: string; meta: unknown };

describe.each(databaseKinds())('the audit log (GET /v1/admin/audit) on %s', (kind) => {
  let h: Harness;
  let ticketId: string;
  let startedAt: string;
  let newToken: string;
  const asAdmin = () => ({ token: h.tokens.admin });
  const audit = async (query = ''): Promise<{ items: Entry[]; nextCursor: string | null }> => {
    const response = await h.request('GET', `/v1/admin/audit?limit=200${query}`, asAdmin());
    expect(response.status).toBe(200);
    return response.json();
  };

  beforeAll(async () => {
    h = await createHarness(kind);
    startedAt = new Date(Date.now() - 1000).toISOString();
    ({ ticketId } = await h.receive({ text: `NIK saya ${NIK}` }));
    // What staff do in a day, each of which must leave a trace.
    await h.request('GET', `/v1/tickets/${ticketId}/messages`);
    await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      body: { text: `Baik Bu, NIK ${NIK} kami cek` },
    });
    await h.request('POST', `/v1/tickets/${ticketId}/notes`, { body: { text: `catatan ${NIK}` } });
    await h.request('PATCH', `/v1/tickets/${ticketId}`, { body: { status: 'pending' } });
    await h.request('PATCH', '/v1/admin/settings', {
      ...asAdmin(),
      body: { retention: { attachmentDays: 90 } },
    });
    await h.request('PATCH', '/v1/admin/channels/telegram', { ...asAdmin(), body: { enabled: false } });
    const created = await h.request('POST', '/v1/admin/users', {
      ...asAdmin(),
      body: { name: 'Rina', email: 'rina@depok.go.id', role: 'officer' },
    });
    newToken = (await created.json()).token;
  });
  afterAll(() => h.close());

  it('records every staff action with actor, target and time, and never personal data or tokens', async () => {
    const { items } = await audit();
    const officer = h.userIds.officer;
    const admin = h.userIds.admin;
    expect(items.map((entry) => [entry.action, entry.actorId, entry.target])).toEqual(
      expect.arrayContaining([
        ['ticket.messages.read', officer, `ticket:${ticketId}`],
        ['ticket.reply', officer, `ticket:${ticketId}`],
        ['ticket.note', officer, `ticket:${ticketId}`],
        ['ticket.update', officer, `ticket:${ticketId}`],
        ['settings.update', admin, 'settings:policy'],
        ['channel.disable', admin, 'channel:telegram'],
        ['user.create', admin, expect.stringMatching(/^user:/)],
      ]),
    );
    const status = items.find((entry) => entry.action === 'ticket.update');
    expect(status?.meta).toMatchObject({ change: { status: 'pending' }, before: { status: 'open' } });
    for (const entry of items) expect(entry).toMatchObject({ at: expect.any(String) });
    const everything = JSON.stringify(items);
    expect(everything).not.toContain(NIK);
    expect(everything).not.toContain('3276');
    expect(everything).not.toContain(newToken);
    expect(everything).not.toContain('Baik Bu');
  });

  it('filters by actor, action, action prefix, target and time', async () => {
    // Sorted: entries made in the same millisecond may come in either order.
    const actions = (page: { items: Entry[] }) => page.items.map((entry) => entry.action).sort();
    expect(actions(await audit(`&actorId=${h.userIds.admin}`))).toEqual([
      'channel.disable',
      'settings.update',
      'user.create',
    ]);
    expect(actions(await audit('&action=ticket.reply'))).toEqual(['ticket.reply']);
    expect(actions(await audit('&action=ticket.'))).toEqual([
      'ticket.messages.read',
      'ticket.note',
      'ticket.reply',
      'ticket.update',
    ]);
    expect(
      actions(await audit(`&target=ticket:${ticketId}&actorId=${h.userIds.officer}&action=ticket.n`)),
    ).toEqual([]);
    expect((await audit(`&target=ticket:${ticketId}`)).items).toHaveLength(4);
    expect((await audit(`&from=${encodeURIComponent(startedAt)}`)).items.length).toBeGreaterThanOrEqual(7);
    expect((await audit(`&to=${encodeURIComponent(startedAt)}`)).items).toEqual([]);
    expect((await audit('&from=2020-01-01T00:00:00%2B07:00&to=2020-01-02T00:00:00Z')).items).toEqual([]);
  });

  it('pages a filtered list with a cursor, newest first, without repeats', async () => {
    const newestFirst = (await audit('&action=ticket.')).items.map((entry) => entry.id);
    const seen: string[] = [];
    let query = '&action=ticket.';
    for (;;) {
      const response = await h.request('GET', `/v1/admin/audit?limit=1${query}`, asAdmin());
      const page = await response.json();
      seen.push(...page.items.map((entry: Entry) => entry.id));
      if (!page.nextCursor) break;
      query = `&action=ticket.&cursor=${page.nextCursor}`;
    }
    expect(seen).toHaveLength(4);
    expect(seen).toEqual(newestFirst);
  });

  it.each([
    ['&action=Ticket*', 'action'],
    ['&from=yesterday', 'from'],
    ['&to=2026-13-01T00:00:00Z', 'to'],
    ['&from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
    ['&limit=500', 'limit'],
  ])('refuses %s with 400 on %s', async (query, path) => {
    const response = await h.request('GET', `/v1/admin/audit?x=1${query}`, asAdmin());
    expect(response.status).toBe(400);
    const { error } = await response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues.map((issue: { path: string }) => issue.path)).toContain(path);
  });

  it('is for admins only', async () => {
    expect((await h.request('GET', '/v1/admin/audit', { token: null })).status).toBe(401);
    for (const role of ['officer', 'supervisor'] as const) {
      expect((await h.request('GET', '/v1/admin/audit', { token: h.tokens[role] })).status).toBe(403);
    }
  });
});
