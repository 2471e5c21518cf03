import type { Complaint } from '../complaints/complaint-stages.ts';
import { type ComplaintContext, openComplaintInTransaction } from '../complaints/open-complaint.ts';
import type { Clock, InboxStore, InboxTransaction } from '../ports.ts';
import type { TicketRecord } from '../tickets/types.ts';

export type SlaSweepResult = {
  warned: TicketRecord[];
  breached: TicketRecord[];
  complaints: Complaint[];
  escalated: Complaint[];
};

/**
 * One pass of the SLA clock. Tickets past their warning time are marked warned; tickets past their
 * first-response due time are marked breached and, while still open, get a pengaduan that the citizen
 * is told about; complaints whose stage is overdue are escalated. Each transition is claimed with a
 * conditional UPDATE inside the transaction that acts on it, so it happens exactly once even with two
 * gateways sweeping, and a crash mid-way rolls it back for the next pass. The queries read only due
 * rows (indexed), so the cost grows with what is due, not with what is open.
 */
export async function sweepSla(options: {
  store: InboxStore;
  clock: Clock;
  context: ComplaintContext;
  batchSize?: number;
}): Promise<SlaSweepResult> {
  const { store, clock, context } = options;
  const limit = options.batchSize ?? 200;
  const now = clock.now();
  const result: SlaSweepResult = { warned: [], breached: [], complaints: [], escalated: [] };

  await store.transaction(async (tx) => {
    const warned = await tx.claimDueSlaWarnings(now, limit);
    for (const ticket of warned) {
      await tx.recordAudit({ actorId: null, action: 'sla.warning', target: `ticket:${ticket.id}`, at: now });
      await systemNote(tx, ticket, now, 'sla.warning: most of the first-response time is gone');
    }
    result.warned = warned;
  });

  await store.transaction(async (tx) => {
    const breached = await tx.claimDueSlaBreaches(now, limit);
    const complaints: Complaint[] = [];
    for (const ticket of breached) {
      await tx.recordAudit({ actorId: null, action: 'sla.breached', target: `ticket:${ticket.id}`, at: now });
      await systemNote(tx, ticket, now, 'sla.breached: the first-response promise was not kept');
      // A ticket resolved or closed without a reply counts as breached, but nobody is waiting any more.
      if (ticket.status !== 'open' && ticket.status !== 'pending') continue;
      const opened = await openComplaintInTransaction(tx, {
        ticket,
        reason: 'sla_breach',
        now,
        actorId: null,
        context,
      });
      if (opened.created) complaints.push(opened.complaint);
    }
    result.breached = breached;
    result.complaints = complaints;
  });

  await store.transaction(async (tx) => {
    const escalated = await tx.claimOverdueComplaints(now, limit);
    for (const complaint of escalated) {
      await tx.recordAudit({
        actorId: null,
        action: 'complaint.escalated',
        target: `complaint:${complaint.id}`,
        at: now,
        meta: { status: complaint.status },
      });
    }
    result.escalated = escalated;
  });
  return result;
}

/** The transition in the ticket's own timeline, for staff only (a system line is never delivered). */
async function systemNote(tx: InboxTransaction, ticket: TicketRecord, at: Date, text: string): Promise<void> {
  await tx.appendMessage({
    ticketId: ticket.id,
    channel: ticket.channel,
    direction: 'system',
    text,
    createdAt: at,
  });
}
