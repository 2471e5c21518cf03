// The SLA sweep's set-based path: chunks claimed by one UPDATE each, their writes in multi-row
// statements, and the guarantees of the one-by-one sweep kept (once each, gap-free numbers, rollback).
import { type ComplaintContext, type InboxStore, sweepSla } from '@loket/core';
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

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('SLA sweep in chunks on %s', (kind) => {
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
  const complaintNumbers = async () =>
    (await db.prisma.complaint.findMany({ select: { number: true }, orderBy: { number: 'asc' } })).map(
      (c) => c.number,
    );
  const expectedNumbers = (count: number) =>
    Array.from({ length: count }, (_, i) => `ADU-2026-${String(i + 1).padStart(6, '0')}`);

  it('drains more due tickets than a chunk in one pass, writing every row of each breach', async () => {
    await openTickets(12);
    const result = await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(73), context, batchSize: 5 });
    expect(result.breached).toHaveLength(12);
    expect(new Set(result.breached.map((t) => t.id)).size).toBe(12);
    expect(result.breached.every((t) => t.contactName === 'Siti Aminah')).toBe(true);
    expect(result.complaints.map((c) => c.number).sort()).toEqual(expectedNumbers(12));
    expect(await complaintNumbers()).toEqual(expectedNumbers(12));

    const ticket = result.breached[0]!;
    const complaint = result.complaints.find((c) => c.ticketId === ticket.id)!;
    const stored = await db.prisma.complaint.findUniqueOrThrow({ where: { id: complaint.id } });
    expect(stored).toMatchObject({ status: 'received', reason: 'sla_breach', number: complaint.number });
    expect(stored.stageDueAt).toEqual(complaint.stageDueAt);
    expect(stored.createdAt).toEqual(hoursAfterOpen(73).now());
    const events = await db.prisma.event.findMany({ where: { ticketId: ticket.id }, orderBy: { id: 'asc' } });
    // Each ticket's events in the order of the one-by-one sweep: breach, note, complaint, notice.
    expect(events.map((e) => e.type).slice(-4)).toEqual([
      'sla.breached',
      'message.created',
      'complaint.created',
      'message.created',
    ]);
    const messages = await repos.tickets.listMessages(ticket.id);
    expect(messages.filter((m) => m.direction === 'system').map((m) => m.text)).toEqual([
      'sla.breached: the first-response promise was not kept',
    ]);
    const notice = messages.find((m) => m.automated && m.text.includes(complaint.number));
    expect(notice).toMatchObject({ direction: 'outbound', deliveryStatus: 'queued' });
    expect(notice?.text).toContain(ticket.number);
    expect(await db.prisma.auditLog.count({ where: { action: 'sla.breached' } })).toBe(12);
    expect(await db.prisma.auditLog.count({ where: { action: 'complaint.created' } })).toBe(12);
    expect(await db.prisma.complaintEvent.count({ where: { toStatus: 'received', fromStatus: null } })).toBe(
      12,
    );
    expect((await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(80), context })).breached).toEqual([]);
  });

  it('lets two concurrent sweeps claim disjoint chunks, with unique gap-free complaint numbers', async () => {
    await openTickets(20);
    const sweep = () => sweepSla({ store: repos.inbox, clock: hoursAfterOpen(73), context, batchSize: 3 });
    const [a, b] = await Promise.all([sweep(), sweep()]);
    const claimed = [...a.breached, ...b.breached].map((t) => t.id);
    expect(claimed).toHaveLength(20);
    expect(new Set(claimed).size).toBe(20);
    expect(a.complaints.length + b.complaints.length).toBe(20);
    expect(await complaintNumbers()).toEqual(expectedNumbers(20));
    expect(await db.prisma.event.count({ where: { type: 'sla.breached' } })).toBe(20);
    expect(await db.prisma.message.count({ where: { direction: 'system' } })).toBe(20);
  });

  it('warns and escalates in chunks too', async () => {
    await openTickets(7);
    const warned = await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(60), context, batchSize: 2 });
    expect(warned.warned).toHaveLength(7);
    expect(await db.prisma.event.count({ where: { type: 'sla.warning' } })).toBe(7);
    await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(72), context, batchSize: 2 });
    const late = hoursAfterOpen(72 + 24 * 4);
    const escalated = await sweepSla({ store: repos.inbox, clock: late, context, batchSize: 2 });
    expect(escalated.escalated).toHaveLength(7);
    expect(await db.prisma.complaint.count({ where: { escalatedAt: { not: null } } })).toBe(7);
    expect(await db.prisma.auditLog.count({ where: { action: 'complaint.escalated' } })).toBe(7);
    expect((await sweepSla({ store: repos.inbox, clock: late, context })).escalated).toEqual([]);
  });

  it('rolls a chunk back whole when it fails half-way, and the next pass takes it again', async () => {
    await openTickets(4);
    const failing: InboxStore = {
      transaction: (work) =>
        repos.inbox.transaction((tx) =>
          work({
            ...tx,
            appendTextMessages: async (messages) => {
              // The notes went in; the citizen's notices fail, after the claim and the complaints.
              if (messages.some((m) => m.direction === 'outbound')) throw new Error('crash mid-chunk');
              return tx.appendTextMessages(messages);
            },
          }),
        ),
    };
    await expect(sweepSla({ store: failing, clock: hoursAfterOpen(73), context })).rejects.toThrow(
      'crash mid-chunk',
    );
    expect(await db.prisma.ticket.count({ where: { slaBreachedAt: { not: null } } })).toBe(0);
    expect(await db.prisma.complaint.count()).toBe(0);
    expect(await db.prisma.auditLog.count()).toBe(0);
    expect(await db.prisma.event.count({ where: { type: { startsWith: 'sla.' } } })).toBe(0);
    expect(await db.prisma.message.count({ where: { direction: 'system' } })).toBe(0);

    const retried = await sweepSla({ store: repos.inbox, clock: hoursAfterOpen(74), context });
    expect(retried.breached).toHaveLength(4);
    expect(await complaintNumbers()).toEqual(expectedNumbers(4));
  });
});
