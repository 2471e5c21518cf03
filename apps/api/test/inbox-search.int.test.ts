import type { AuditLog } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const DAY = 24 * 3_600_000;

describe.each(databaseKinds())('inbox search, filters and assignment on %s', (kind) => {
  let h: Harness;
  let audit: MockInstance<AuditLog['record']>;
  // The API judges SLA states by this clock; tickets are received at the real time.
  const apiClock = { ahead: 0, now: () => new Date(Date.now() + apiClock.ahead) };
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    h = await createHarness(kind, { clock: apiClock });
    audit = vi.spyOn(h.repos.audit, 'record');
    const citizens = [
      { key: 'siti', displayName: 'Siti Aminah', phone: '6281234567890', channel: 'whatsapp' as const },
      { key: 'budi', displayName: 'Budi', handle: 'budi_depok', text: 'Mau urus SURAT PINDAH ke Bogor' },
      { key: 'wati', displayName: 'Wati 100%' },
    ];
    for (const { key, ...citizen } of citizens) {
      ids[key] = (await h.receive({ externalUserId: key, externalThreadId: key, ...citizen })).ticketId;
    }
  });
  afterAll(() => h.close());

  const list = async (query: string, token?: string) => {
    const response = await h.request('GET', `/v1/tickets?${query}`, token ? { token } : {});
    expect(response.status, query).toBe(200);
    return (await response.json()).items.map((t: { id: string }) => t.id).sort();
  };
  const idsOf = (...keys: string[]) => keys.map((key) => ids[key]).sort();

  it('finds tickets by number, name, phone, handle and message words; % is literal', async () => {
    const siti = await (await h.request('GET', `/v1/tickets/${ids.siti}`)).json();
    expect(await list(`q=${siti.number.toLowerCase()}`)).toEqual(idsOf('siti'));
    expect(await list('q=aminah')).toEqual(idsOf('siti'));
    expect(await list(`q=${encodeURIComponent('0812-3456-7890')}`)).toEqual(idsOf('siti'));
    expect(await list('q=BUDI_DEPOK')).toEqual(idsOf('budi'));
    expect(await list('q=surat%20pindah')).toEqual(idsOf('budi'));
    expect(await list('q=%25')).toEqual(idsOf('wati'));
  });

  it('filters by SLA state and overdue, judged at the API clock', async () => {
    const all = idsOf('siti', 'budi', 'wati');
    expect(await list('slaState=on_track')).toEqual(all);
    expect(await list('slaState=breached')).toEqual([]);
    expect(await list('overdue=true')).toEqual([]);
    apiClock.ahead = 4 * DAY;
    try {
      expect(await list('slaState=breached')).toEqual(all);
      expect(await list('overdue=true')).toEqual(all);
      expect(await list('overdue=false')).toEqual(all);
      expect(await list('overdue=true&q=budi')).toEqual(idsOf('budi'));
      const listed = await (await h.request('GET', '/v1/tickets?slaState=breached&limit=1')).json();
      expect(listed.items[0].slaState).toBe('breached');
    } finally {
      apiClock.ahead = 0;
    }
    for (const query of ['slaState=late', 'overdue=yes']) {
      const response = await h.request('GET', `/v1/tickets?${query}`);
      expect(response.status, query).toBe(400);
    }
  });

  it('lets any staff member assign to any active user or unassign, and audits ticket.assign', async () => {
    const assign = (assigneeId: string | null, token = h.tokens.officer) =>
      h.request('PATCH', `/v1/tickets/${ids.siti}`, { token, body: { assigneeId } });
    const toSupervisor = await assign(h.userIds.supervisor);
    expect(toSupervisor.status).toBe(200);
    expect((await toSupervisor.json()).assigneeId).toBe(h.userIds.supervisor);
    expect(audit.mock.calls.at(-1)?.[0]).toEqual({
      actorId: h.userIds.officer,
      action: 'ticket.assign',
      target: `ticket:${ids.siti}`,
      meta: { assigneeId: h.userIds.supervisor, previousAssigneeId: null },
    });
    expect((await assign(h.userIds.officer)).status).toBe(200);
    expect(await list('assignee=me')).toEqual(idsOf('siti'));
    expect(await list('assignee=me', h.tokens.supervisor)).toEqual([]);
    expect(await list(`assignee=${h.userIds.officer}`)).toEqual(idsOf('siti'));
    expect(await list('assignee=none')).toEqual(idsOf('budi', 'wati'));

    // The same assignee again is no assignment.
    const before = audit.mock.calls.filter(([entry]) => entry.action === 'ticket.assign').length;
    await assign(h.userIds.officer);
    expect(audit.mock.calls.filter(([entry]) => entry.action === 'ticket.assign')).toHaveLength(before);

    const unassigned = await assign(null, h.tokens.supervisor);
    expect((await unassigned.json()).assigneeId).toBeNull();
    expect(audit.mock.calls.at(-1)?.[0]).toMatchObject({
      action: 'ticket.assign',
      meta: { assigneeId: null, previousAssigneeId: h.userIds.officer },
    });
  });

  it('refuses an assignee who does not exist or is disabled', async () => {
    const created = await h.request('POST', '/v1/admin/users', {
      token: h.tokens.admin,
      body: { name: 'Pensiun', email: 'pensiun@depok.go.id', role: 'officer' },
    });
    const { user } = await created.json();
    await h.request('PATCH', `/v1/admin/users/${user.id}`, {
      token: h.tokens.admin,
      body: { active: false },
    });
    for (const assigneeId of ['nobody', user.id]) {
      const response = await h.request('PATCH', `/v1/tickets/${ids.budi}`, { body: { assigneeId } });
      expect(response.status).toBe(400);
      expect((await response.json()).error.issues).toEqual([
        { path: 'assigneeId', message: 'no active user with that id' },
      ]);
    }
    expect((await (await h.request('GET', `/v1/tickets/${ids.budi}`)).json()).assigneeId).toBeNull();
  });

  it('needs a token for every filter', async () => {
    for (const query of ['q=siti', 'slaState=met', 'overdue=true', 'assignee=me']) {
      expect((await h.request('GET', `/v1/tickets?${query}`, { token: null })).status).toBe(401);
    }
  });
});
