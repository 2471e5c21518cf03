import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

describe.each(databaseKinds())('tickets API on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.close());

  it('lists a citizen message as a ticket with its SLA state, newest activity first', async () => {
    const first = await h.receive({ externalUserId: '1', externalThreadId: '1', displayName: 'Ani' });
    const second = await h.receive({ externalUserId: '2', externalThreadId: '2', displayName: 'Bayu' });
    const response = await h.request('GET', '/v1/tickets');
    expect(response.status).toBe(200);
    const body = await response.json();
    const ids = body.items.map((t: { id: string }) => t.id);
    expect(ids.indexOf(second.ticketId)).toBeLessThan(ids.indexOf(first.ticketId));
    const ticket = body.items.find((t: { id: string }) => t.id === first.ticketId);
    expect(ticket).toMatchObject({
      status: 'open',
      channel: 'telegram',
      service: 'AKTA_KELAHIRAN',
      priority: 'normal',
      contact: { displayName: 'Ani' },
      assigneeId: null,
      slaState: 'on_track',
      firstRespondedAt: null,
    });
    expect(ticket.number).toMatch(/^DPK-\d{4}-\d{6}$/);
    expect(Date.parse(ticket.firstResponseDueAt) - Date.parse(ticket.createdAt)).toBe(72 * 3_600_000);
  });

  it('filters and pages with a cursor', async () => {
    for (let i = 0; i < 3; i += 1)
      await h.receive({ externalUserId: `p${i}`, externalThreadId: `p${i}`, text: 'halo' });
    const page1 = await (await h.request('GET', '/v1/tickets?limit=2&service=LAINNYA')).json();
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await (
      await h.request('GET', `/v1/tickets?limit=2&service=LAINNYA&cursor=${page1.nextCursor}`)
    ).json();
    const seen = new Set([...page1.items, ...page2.items].map((t: { id: string }) => t.id));
    expect(seen.size).toBe(page1.items.length + page2.items.length);
    for (const t of [...page1.items, ...page2.items]) expect(t.service).toBe('LAINNYA');
    const none = await (await h.request('GET', '/v1/tickets?status=closed')).json();
    expect(none.items).toEqual([]);
  });

  it('gets one ticket, and answers 404 for ids that do not exist, whatever their form', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'g', externalThreadId: 'g' });
    expect((await h.request('GET', `/v1/tickets/${ticketId}`)).status).toBe(200);
    for (const id of [
      'does-not-exist',
      '00000000-0000-0000-0000-000000000000',
      "1' OR '1'='1",
      '%F0%9F%98%80',
    ]) {
      const response = await h.request('GET', `/v1/tickets/${id}`);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('TICKET_NOT_FOUND');
    }
  });

  it('shows the conversation oldest first and records the read in the audit log', async () => {
    const { ticketId } = await h.receive({
      externalUserId: 'm',
      externalThreadId: 'm',
      text: 'NIK saya 3276010101010001',
    });
    const response = await h.request('GET', `/v1/tickets/${ticketId}/messages`);
    expect(response.status).toBe(200);
    const { items } = await response.json();
    expect(items.map((m: { direction: string }) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(items[1]).toMatchObject({ automated: true, deliveryStatus: 'queued' });
    const audit = await (await h.request('GET', '/v1/admin/audit', { token: h.tokens.admin })).json();
    expect(audit.items[0]).toMatchObject({
      actorId: h.userIds.officer,
      action: 'ticket.messages.read',
      target: `ticket:${ticketId}`,
    });
  });

  it('queues a reply (202) and keeps a note away from delivery (201)', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'r', externalThreadId: 'r' });
    const reply = await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      body: { text: 'Baik, silakan kirim foto KK.' },
    });
    expect(reply.status).toBe(202);
    expect(await reply.json()).toMatchObject({
      direction: 'outbound',
      deliveryStatus: 'queued',
      authorId: h.userIds.officer,
    });
    const note = await h.request('POST', `/v1/tickets/${ticketId}/notes`, {
      body: { text: 'berkas belum lengkap' },
    });
    expect(note.status).toBe(201);
    expect(await note.json()).toMatchObject({ direction: 'note', deliveryStatus: null });
    const due = await h.repos.deliveryQueue.claimDue({ limit: 100, channels: ['telegram'] });
    const texts = due.filter((t) => t.ticketId === ticketId).map((t) => t.text);
    expect(texts).toContain('Baik, silakan kirim foto KK.');
    expect(texts).not.toContain('berkas belum lengkap');
  });

  it('changes status, assignee, service and priority', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'c', externalThreadId: 'c' });
    const response = await h.request('PATCH', `/v1/tickets/${ticketId}`, {
      body: { status: 'pending', assigneeId: h.userIds.officer, service: 'KK', priority: 'high' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'pending',
      assigneeId: h.userIds.officer,
      service: 'KK',
      priority: 'high',
    });
    const mine = await (await h.request('GET', `/v1/tickets?assignee=${h.userIds.officer}`)).json();
    expect(mine.items.map((t: { id: string }) => t.id)).toEqual([ticketId]);
    const unassign = await h.request('PATCH', `/v1/tickets/${ticketId}`, { body: { assigneeId: null } });
    expect((await unassign.json()).assigneeId).toBeNull();
  });

  it('rejects bad input with field paths', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'v', externalThreadId: 'v' });
    const cases: [string, string, unknown, string][] = [
      ['PATCH', `/v1/tickets/${ticketId}`, { status: 'deleted' }, 'status'],
      ['PATCH', `/v1/tickets/${ticketId}`, { assigneeId: 'nobody' }, 'assigneeId'],
      ['PATCH', `/v1/tickets/${ticketId}`, { colour: 'red' }, '(body)'],
      ['POST', `/v1/tickets/${ticketId}/replies`, { text: '   ' }, 'text'],
      ['POST', `/v1/tickets/${ticketId}/replies`, { text: 42 }, 'text'],
      ['GET', '/v1/tickets?limit=1000', undefined, 'limit'],
      ['GET', '/v1/tickets?status=gone', undefined, 'status'],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await h.request(method, path, { body });
      expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues.map((i: { path: string }) => i.path)).toContain(field);
    }
  });

  it('answers 404 for a reply or note to a ticket that does not exist', async () => {
    for (const kindOf of ['replies', 'notes']) {
      const response = await h.request('POST', `/v1/tickets/nope/${kindOf}`, { body: { text: 'halo' } });
      expect(response.status).toBe(404);
    }
  });
});
