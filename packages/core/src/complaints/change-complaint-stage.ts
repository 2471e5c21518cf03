import { DomainError } from '../errors.ts';
import type { Clock, InboxStore } from '../ports.ts';
import { complaintNoticeText } from './complaint-notices.ts';
import { type Complaint, type ComplaintStatus, canMoveComplaint, stageDueAt } from './complaint-stages.ts';
import type { ComplaintContext } from './open-complaint.ts';

/**
 * A supervisor moves a pengaduan to its next stage. The move must follow the stages; a rejection needs
 * a reason. The citizen is told on their channel, and the change is on the audit trail.
 */
export async function changeComplaintStage(options: {
  store: InboxStore;
  clock: Clock;
  context: ComplaintContext;
  complaintId: string;
  to: ComplaintStatus;
  note: string | null;
  actorId: string;
}): Promise<Complaint> {
  const { store, clock, context, complaintId, to, note, actorId } = options;
  return store.transaction(async (tx) => {
    const complaint = await tx.getComplaint(complaintId, { lock: true });
    if (!complaint) throw new DomainError('NOT_FOUND', 'no complaint with that id');
    if (!canMoveComplaint(complaint.status, to)) {
      throw new DomainError(
        'INVALID_TRANSITION',
        `a complaint cannot move from ${complaint.status} to ${to}`,
      );
    }
    if ((to === 'rejected' || to === 'resolved') && !note) {
      throw new DomainError(
        'REASON_REQUIRED',
        `moving a complaint to ${to} needs a note the citizen will read`,
      );
    }
    const now = clock.now();
    const due = stageDueAt(to, now, context.calendar);
    const updated = await tx.updateComplaint(complaintId, {
      status: to,
      stageDueAt: due,
      ...(to === 'resolved' || to === 'rejected' ? { resolution: note } : {}),
      actorId,
      note,
      at: now,
    });
    const ticket = await tx.getTicket(complaint.ticketId);
    if (ticket) {
      const notice = await tx.appendMessage({
        ticketId: ticket.id,
        channel: ticket.channel,
        direction: 'outbound',
        text: complaintNoticeText(
          {
            kind: 'stage',
            complaintNumber: complaint.number,
            status: to,
            note,
            dueText: due ? context.describeTime(due) : null,
          },
          context.templates,
        ),
        automated: true,
        deliveryStatus: 'queued',
        createdAt: now,
      });
      await tx.queueDelivery({ messageId: notice.id, channel: ticket.channel });
    }
    await tx.recordAudit({
      actorId,
      action: 'complaint.stage',
      target: `complaint:${complaintId}`,
      at: now,
      // Not the note itself: it is free text that may name the citizen, and anonymisation erases it
      // from the complaint but never rewrites the audit log.
      meta: { from: complaint.status, to, hasNote: note !== null },
    });
    return updated;
  });
}
