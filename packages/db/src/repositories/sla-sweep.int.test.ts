import { type ComplaintContext, changeComplaintStage, sweepSla } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, NOW, receive } from './test-fixtures.ts';

const context: ComplaintContext = {
  timezone: 'Asia/Jakarta',
  calendar: { addWorkingDays: (from, days) => new Date(from.getTime() + days * 86_400_000) },
  describeTime: (at) => at.toISOString(),
};
const hoursAfterOpen = (hours: number) => ({ now: () => new Date(NOW.getTime() + hours * 3_600_000) });

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('SLA sweep and complaints on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  const openTickets = async (count: number) => {
    for (let i = 0; i < count; i += 1) {
      await receive(
        repos.inbox,
        citizenMessage({ externalMessageId: `m${i}`, externalUserId: `u${i}`, externalThreadId: `u${i}` }),
      );
    }
  };

  it('breaches each due ticket exactly once, even with two sweeps at the same time', async () => {
    await openTickets(12);
    const [a, b] = await Promise.all([
      sweepSla({ store: repos.inbox, clock: hoursAfterOpen(73), context, batchSize: 100 }),
      sweepSla({ store: repos.inbox, clock: hoursAfterOpen(73), context, batchSize: 100 }),
    ]);
    expect(a.breached.length + b.breached.length).toBe(12);
    expect(a.complaints.length + b.complaints.length).toBe(12);
    expect(a.warned.length + b.warned.length).toBe(0);
    expect(await db.prisma.complaint.count()).toBe(12);
    const numbers = (await db.prisma.complaint.findMany({ select: { number: true } }))
      .map((c) => c.number)
      .sort();
    expect(numbers[0]).toBe('ADU-2026-000001');
    expect(new Set(numbers).size).toBe(12);
    const again = await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(80), context });
    expect(again.breached).toEqual([]);
    expect(await db.prisma.auditLog.count({ where: { action: 'sla.breached' } })).toBe(12);
  });

  it('warns before it breaches, skips answered tickets, and lists complaints for supervisors', async () => {
    await openTickets(3);
    const tickets = await db.prisma.ticket.findMany({ orderBy: { number: 'asc' } });
    await db.prisma.ticket.update({ where: { id: tickets[0]!.id }, data: { firstRespondedAt: NOW } });
    const warning = await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(60), context });
    expect(warning.warned.map((t) => t.number).sort()).toEqual([tickets[1]!.number, tickets[2]!.number]);
    const breach = await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(72), context });
    expect(breach.breached).toHaveLength(2);
    const list = await repos.complaints.listComplaints({ limit: 1 }, hoursAfterOpen(72).now());
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ status: 'received', reason: 'sla_breach', channel: 'telegram' });
    const next = await repos.complaints.listComplaints({ limit: 5, cursor: list.nextCursor ?? '' }, NOW);
    expect(next.items).toHaveLength(1);
    expect(next.items[0]?.id).not.toBe(list.items[0]?.id);
    const overdue = await repos.complaints.listComplaints(
      { limit: 10, overdue: true },
      hoursAfterOpen(72 + 24 * 4).now(),
    );
    expect(overdue.items).toHaveLength(2);
  });

  it('moves a complaint through its stages with a history, and escalates an overdue stage once', async () => {
    await openTickets(1);
    const { complaints } = await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(72), context });
    const id = complaints[0]!.id;
    const late = hoursAfterOpen(72 + 24 * 4);
    expect((await sweepSla({ store: repos.inbox, clock: late, context })).escalated.map((c) => c.id)).toEqual(
      [id],
    );
    expect((await sweepSla({ store: repos.inbox, clock: late, context })).escalated).toEqual([]);
    const verified = await changeComplaintStage({
      store: repos.inbox,
      clock: late,
      context,
      complaintId: id,
      to: 'verified',
      note: null,
      actorId: null as unknown as string,
    });
    expect(verified).toMatchObject({ status: 'verified', escalatedAt: null });
    const events = await db.prisma.complaintEvent.findMany({
      where: { complaintId: id },
      orderBy: { at: 'asc' },
    });
    expect(events.map((e) => [e.fromStatus, e.toStatus])).toEqual([
      [null, 'received'],
      ['received', 'verified'],
    ]);
    const messages = await repos.tickets.listMessages(complaints[0]!.ticketId);
    expect(
      messages
        .filter((m) => m.automated)
        .map((m) => m.text)
        .join('\n'),
    ).toContain('verifikasi');
  });
});
