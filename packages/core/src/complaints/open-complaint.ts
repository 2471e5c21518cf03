import type { InboxTransaction } from '../ports.ts';
import type { TemplateOverrides } from '../templates/citizen-texts.ts';
import { formatTicketNumber, yearIn } from '../tickets/ticket-view.ts';
import type { TicketRecord } from '../tickets/types.ts';
import { complaintNoticeText } from './complaint-notices.ts';
import { type Complaint, type ComplaintReason, stageDueAt, type WorkingDays } from './complaint-stages.ts';

export type ComplaintContext = {
  timezone: string;
  calendar: WorkingDays;
  /** Formats a due time for the citizen ("Kamis, 5 Maret 2026, 12.00 WIB"). */
  describeTime(at: Date): string;
  /** The admins' overrides of the citizen texts. */
  templates?: TemplateOverrides;
};

/**
 * Opens a pengaduan for a ticket inside the caller's transaction: its own number (ADU-2026-000001),
 * the first stage's due time on the office calendar, the citizen told on their channel, and the audit
 * trail. A ticket has at most one complaint in progress: that one is returned instead.
 */
export async function openComplaintInTransaction(
  tx: InboxTransaction,
  options: {
    ticket: TicketRecord;
    reason: ComplaintReason;
    now: Date;
    actorId: string | null;
    context: ComplaintContext;
  },
): Promise<{ complaint: Complaint; created: boolean }> {
  const { ticket, ...rest } = options;
  const opened = await openComplaintsInTransaction(tx, { tickets: [ticket], ...rest });
  const existing = opened.existing[0];
  if (existing) return { complaint: existing, created: false };
  const created = opened.created[0];
  if (!created) throw new Error(`no complaint opened for ticket ${ticket.id}`);
  return { complaint: created, created: true };
}

/**
 * `openComplaintInTransaction` for many tickets at once (the SLA sweep's breaches): the numbers are
 * taken from the counter in one go, in the order of `tickets`, and every row is written by a few
 * multi-row statements. Tickets with a complaint in progress come back in `existing` instead.
 */
export async function openComplaintsInTransaction(
  tx: InboxTransaction,
  options: {
    tickets: TicketRecord[];
    reason: ComplaintReason;
    now: Date;
    actorId: string | null;
    context: ComplaintContext;
  },
): Promise<{ created: Complaint[]; existing: Complaint[] }> {
  const { reason, now, actorId, context } = options;
  const tickets = [...new Map(options.tickets.map((ticket) => [ticket.id, ticket])).values()];
  if (!tickets.length) return { created: [], existing: [] };
  const existing = await tx.findActiveComplaints(tickets.map((ticket) => ticket.id));
  const busy = new Set(existing.map((complaint) => complaint.ticketId));
  const fresh = tickets.filter((ticket) => !busy.has(ticket.id));
  if (!fresh.length) return { created: [], existing };

  const year = yearIn(context.timezone, now);
  const first = await tx.reserveComplaintSequences(year, fresh.length);
  // Every complaint of the batch enters its first stage now, so they share one due time and its text.
  const due = stageDueAt('received', now, context.calendar);
  const dueText = due ? context.describeTime(due) : '-';
  const numbers = fresh.map((_, index) => formatTicketNumber('ADU', year, first + index));
  const created = await tx.createComplaints(
    fresh.map((ticket, index) => ({
      number: numbers[index] as string,
      ticketId: ticket.id,
      reason,
      stageDueAt: due,
      createdAt: now,
      actorId,
    })),
  );
  const notices = await tx.appendTextMessages(
    fresh.map((ticket, index) => ({
      ticketId: ticket.id,
      channel: ticket.channel,
      direction: 'outbound',
      text: complaintNoticeText(
        { kind: 'opened', complaintNumber: numbers[index] as string, ticketNumber: ticket.number, dueText },
        context.templates,
      ),
      automated: true,
      deliveryStatus: 'queued',
      createdAt: now,
    })),
  );
  await tx.queueDeliveries(
    notices.map((notice, index) => ({
      messageId: notice.id,
      channel: (fresh[index] as TicketRecord).channel,
    })),
  );
  await tx.recordAudits(
    created.map((complaint) => ({
      actorId,
      action: 'complaint.created',
      target: `complaint:${complaint.id}`,
      at: now,
      meta: { reason, ticketId: complaint.ticketId },
    })),
  );
  return { created, existing };
}
