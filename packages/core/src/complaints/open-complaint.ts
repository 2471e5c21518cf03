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
  const { ticket, reason, now, actorId, context } = options;
  const existing = await tx.findActiveComplaint(ticket.id);
  if (existing) return { complaint: existing, created: false };
  const year = yearIn(context.timezone, now);
  const number = formatTicketNumber('ADU', year, await tx.nextComplaintSequence(year));
  const due = stageDueAt('received', now, context.calendar);
  const complaint = await tx.createComplaint({
    number,
    ticketId: ticket.id,
    reason,
    stageDueAt: due,
    createdAt: now,
    actorId,
  });
  const notice = await tx.appendMessage({
    ticketId: ticket.id,
    channel: ticket.channel,
    direction: 'outbound',
    text: complaintNoticeText(
      {
        kind: 'opened',
        complaintNumber: number,
        ticketNumber: ticket.number,
        dueText: due ? context.describeTime(due) : '-',
      },
      context.templates,
    ),
    automated: true,
    deliveryStatus: 'queued',
    createdAt: now,
  });
  await tx.queueDelivery({ messageId: notice.id, channel: ticket.channel, runAt: now });
  await tx.recordAudit({
    actorId,
    action: 'complaint.created',
    target: `complaint:${complaint.id}`,
    at: now,
    meta: { reason, ticketId: ticket.id },
  });
  return { complaint, created: true };
}
