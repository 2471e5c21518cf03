import { describe, expect, it } from 'vitest';
import { changeComplaintStage } from '../src/complaints/change-complaint-stage.ts';
import type { ComplaintContext } from '../src/complaints/open-complaint.ts';
import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy } from '../src/policy/office-policy.ts';
import { sweepSla } from '../src/sla/sweep-sla.ts';
import { receiveMessage } from '../src/tickets/receive-message.ts';
import { MemoryInboxStore } from './memory-inbox-store.ts';

const start = new Date('2026-03-02T02:00:00Z');
const context: ComplaintContext = {
  timezone: 'Asia/Jakarta',
  calendar: { addWorkingDays: (from, days) => new Date(from.getTime() + days * 86_400_000) },
  describeTime: (at) => at.toISOString(),
};

async function ticketOpenedAt(store: MemoryInboxStore, policy = DEFAULT_OFFICE_POLICY) {
  await receiveMessage({
    store,
    clock: { now: () => start },
    policy,
    message: {
      channel: 'telegram',
      externalMessageId: 'm1',
      externalUserId: 'u1',
      externalThreadId: 'u1',
      displayName: 'Siti',
      sentAt: start,
      text: 'halo',
      attachments: [],
    },
  });
  return store.state.tickets[0]!;
}

describe('the SLA sweep', () => {
  it('warns once at 80%, breaches once at 72 hours, and opens a complaint the citizen is told about', async () => {
    const store = new MemoryInboxStore();
    const ticket = await ticketOpenedAt(store);
    const at = (hours: number) => ({ now: () => new Date(start.getTime() + hours * 3_600_000) });

    expect(await sweepSla({ store, clock: at(50), context })).toMatchObject({ warned: [], breached: [] });
    const warning = await sweepSla({ store, clock: at(58), context });
    expect(warning.warned.map((t) => t.id)).toEqual([ticket.id]);
    expect((await sweepSla({ store, clock: at(59), context })).warned).toEqual([]);

    const breach = await sweepSla({ store, clock: at(72), context });
    expect(breach.breached.map((t) => t.id)).toEqual([ticket.id]);
    expect(breach.complaints).toHaveLength(1);
    expect(breach.complaints[0]).toMatchObject({
      number: 'ADU-2026-000001',
      reason: 'sla_breach',
      status: 'received',
    });
    expect(breach.complaints[0]?.stageDueAt).toEqual(
      new Date(start.getTime() + 72 * 3_600_000 + 3 * 86_400_000),
    );
    const notice = store.state.messages.at(-1);
    expect(notice).toMatchObject({ direction: 'outbound', automated: true, deliveryStatus: 'queued' });
    expect(notice?.text).toContain('ADU-2026-000001');
    expect(notice?.text).toContain(ticket.number);
    expect((await sweepSla({ store, clock: at(80), context })).breached).toEqual([]);
    expect(store.state.audit.map((a) => a.action)).toEqual([
      'sla.warning',
      'sla.breached',
      'complaint.created',
    ]);
  });

  it('works off more due tickets than a chunk in one pass, numbering complaints in order', async () => {
    const store = new MemoryInboxStore();
    for (const user of ['u1', 'u2', 'u3', 'u4', 'u5']) {
      await receiveMessage({
        store,
        clock: { now: () => start },
        policy: DEFAULT_OFFICE_POLICY,
        message: {
          channel: 'telegram',
          externalMessageId: `m-${user}`,
          externalUserId: user,
          externalThreadId: user,
          displayName: 'Siti',
          sentAt: start,
          text: 'halo',
          attachments: [],
        },
      });
    }
    const [answered] = store.state.tickets;
    answered!.status = 'resolved';
    const clock = { now: () => new Date(start.getTime() + 72 * 3_600_000) };
    const jobsBefore = store.state.jobs.length;
    const result = await sweepSla({ store, clock, context, batchSize: 2 });
    expect(result.breached).toHaveLength(5);
    // The resolved ticket is breached but gets no complaint: nobody is waiting for it any more.
    expect(result.complaints.map((c) => c.number)).toEqual([
      'ADU-2026-000001',
      'ADU-2026-000002',
      'ADU-2026-000003',
      'ADU-2026-000004',
    ]);
    // One delivery per complaint notice; system notes are never delivered.
    expect(store.state.jobs.length - jobsBefore).toBe(4);
    expect(store.state.messages.filter((m) => m.direction === 'system')).toHaveLength(5);
    expect((await sweepSla({ store, clock, context, batchSize: 2 })).breached).toEqual([]);
  });

  it('follows the policy duration (PT2S)', async () => {
    const store = new MemoryInboxStore();
    await ticketOpenedAt(store, mergeOfficePolicy(DEFAULT_OFFICE_POLICY, { sla: { firstResponse: 'PT2S' } }));
    const result = await sweepSla({ store, clock: { now: () => new Date(start.getTime() + 2000) }, context });
    expect(result.breached).toHaveLength(1);
  });

  it('escalates an overdue stage once', async () => {
    const store = new MemoryInboxStore();
    await ticketOpenedAt(store);
    await sweepSla({ store, clock: { now: () => new Date(start.getTime() + 72 * 3_600_000) }, context });
    const later = { now: () => new Date(start.getTime() + 72 * 3_600_000 + 4 * 86_400_000) };
    expect((await sweepSla({ store, clock: later, context })).escalated).toHaveLength(1);
    expect((await sweepSla({ store, clock: later, context })).escalated).toHaveLength(0);
  });
});

describe('complaint stages by a supervisor', () => {
  it('moves through the stages, tells the citizen each time, and refuses skipping or a bare rejection', async () => {
    const store = new MemoryInboxStore();
    await ticketOpenedAt(store);
    const { complaints } = await sweepSla({
      store,
      clock: { now: () => new Date(start.getTime() + 72 * 3_600_000) },
      context,
    });
    const id = complaints[0]!.id;
    const clock = { now: () => new Date(start.getTime() + 80 * 3_600_000) };
    const move = (to: 'verified' | 'in_follow_up' | 'resolved' | 'rejected', note: string | null = null) =>
      changeComplaintStage({ store, clock, context, complaintId: id, to, note, actorId: 'sup' });

    await expect(move('resolved', 'done')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' });
    expect((await move('verified')).status).toBe('verified');
    expect(store.state.messages.at(-1)?.text).toContain('verifikasi');
    expect((await move('in_follow_up')).status).toBe('in_follow_up');
    await expect(move('rejected')).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    const resolved = await move('resolved', 'KK sudah dicetak dan dapat diambil');
    expect(resolved).toMatchObject({
      status: 'resolved',
      stageDueAt: null,
      resolution: 'KK sudah dicetak dan dapat diambil',
    });
    expect(store.state.messages.at(-1)?.text).toContain('KK sudah dicetak');
    await expect(
      changeComplaintStage({
        store,
        clock,
        context,
        complaintId: 'nope',
        to: 'verified',
        note: null,
        actorId: 'sup',
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
