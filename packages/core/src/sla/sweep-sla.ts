import type { Complaint } from '../complaints/complaint-stages.ts';
import { type ComplaintContext, openComplaintsInTransaction } from '../complaints/open-complaint.ts';
import type { Clock, InboxStore, NewAuditEntry, NewTextMessage } from '../ports.ts';
import type { TicketRecord } from '../tickets/types.ts';

export type SlaSweepResult = {
  warned: TicketRecord[];
  breached: TicketRecord[];
  complaints: Complaint[];
  escalated: Complaint[];
};

/** Tickets (or complaints) per transaction: large enough for set-based writes to pay, small enough
 * that a big backlog never makes one giant transaction (nor outlives the store's transaction timeout). */
export const SLA_SWEEP_CHUNK = 1000;

/**
 * Chunks worked at the same time, each in its own transaction (so on its own connection): the claims
 * take disjoint rows (SKIP LOCKED), so they never wait for each other except on the complaint counter,
 * which each chunk holds from taking its numbers until it commits. Two keep PostgreSQL busy on one
 * chunk while this process prepares the next; an embedded database runs them one after the other.
 */
export const SLA_SWEEP_PARALLEL = 2;

const WARNING_NOTE = 'sla.warning: most of the first-response time is gone';
const BREACH_NOTE = 'sla.breached: the first-response promise was not kept';

/**
 * One pass of the SLA clock. Tickets past their first-response due time are marked breached and,
 * while still open, get a pengaduan that the citizen is told about; tickets past their warning time
 * are marked warned; complaints whose stage is overdue are escalated. Everything due is worked off in
 * chunks of `batchSize`, one transaction each (`parallel` of them at a time), so a backlog after
 * downtime is drained in one pass.
 * Each chunk is claimed with one conditional UPDATE (SKIP LOCKED) inside the transaction that acts on
 * it, so a transition happens exactly once even with two gateways sweeping, and a crash mid-way rolls
 * the chunk back for the next pass. The claims read only due rows (indexed), so the cost grows with
 * what is due, not with what is open; the writes of a chunk are a few multi-row statements.
 */
export async function sweepSla(options: {
  store: InboxStore;
  clock: Clock;
  context: ComplaintContext;
  batchSize?: number;
  /** Chunks in flight at once (SLA_SWEEP_PARALLEL by default). */
  parallel?: number;
}): Promise<SlaSweepResult> {
  const { store, clock, context } = options;
  const limit = Math.max(1, options.batchSize ?? SLA_SWEEP_CHUNK);
  const drain = (chunk: () => Promise<number>) =>
    drainChunks(limit, Math.max(1, options.parallel ?? SLA_SWEEP_PARALLEL), chunk);
  const now = clock.now();
  const result: SlaSweepResult = { warned: [], breached: [], complaints: [], escalated: [] };

  // Breaches before warnings: a breach marks the ticket warned too, so the warning claim does not
  // walk past tickets that are already due (the server was down through their warning).
  await drain(async () => {
    const chunk = await store.transaction(async (tx) => {
      const breached = await tx.claimDueSlaBreaches(now, limit);
      if (!breached.length) return { breached, complaints: [] };
      await tx.recordAudits(breached.map((ticket) => ticketAudit('sla.breached', ticket, now)));
      await tx.appendTextMessages(breached.map((ticket) => systemNote(ticket, now, BREACH_NOTE)));
      // A ticket resolved or closed without a reply counts as breached, but nobody is waiting any more.
      const waiting = breached.filter((ticket) => ticket.status === 'open' || ticket.status === 'pending');
      const opened = await openComplaintsInTransaction(tx, {
        tickets: waiting,
        reason: 'sla_breach',
        now,
        actorId: null,
        context,
      });
      return { breached, complaints: opened.created };
    });
    result.breached.push(...chunk.breached);
    result.complaints.push(...chunk.complaints);
    return chunk.breached.length;
  });

  await drain(async () => {
    const warned = await store.transaction(async (tx) => {
      const claimed = await tx.claimDueSlaWarnings(now, limit);
      if (!claimed.length) return claimed;
      await tx.recordAudits(claimed.map((ticket) => ticketAudit('sla.warning', ticket, now)));
      await tx.appendTextMessages(claimed.map((ticket) => systemNote(ticket, now, WARNING_NOTE)));
      return claimed;
    });
    result.warned.push(...warned);
    return warned.length;
  });

  await drain(async () => {
    const escalated = await store.transaction(async (tx) => {
      const claimed = await tx.claimOverdueComplaints(now, limit);
      await tx.recordAudits(
        claimed.map((complaint) => ({
          actorId: null,
          action: 'complaint.escalated',
          target: `complaint:${complaint.id}`,
          at: now,
          meta: { status: complaint.status },
        })),
      );
      return claimed;
    });
    result.escalated.push(...escalated);
    return escalated.length;
  });
  return result;
}

/**
 * Runs chunks, `parallel` at a time, until each line of them comes back short: nothing more is due,
 * or another gateway holds the rest. A failing chunk fails the sweep once the others have settled.
 */
async function drainChunks(limit: number, parallel: number, chunk: () => Promise<number>): Promise<void> {
  const line = async () => {
    for (;;) {
      if ((await chunk()) < limit) return;
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: parallel }, line));
  const failed = settled.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
}

function ticketAudit(action: string, ticket: TicketRecord, at: Date): NewAuditEntry {
  return { actorId: null, action, target: `ticket:${ticket.id}`, at };
}

/** The transition in the ticket's own timeline, for staff only (a system line is never delivered). */
function systemNote(ticket: TicketRecord, at: Date, text: string): NewTextMessage {
  return { ticketId: ticket.id, channel: ticket.channel, direction: 'system', text, createdAt: at };
}
