import type { OfficePolicy } from '../policy/office-policy.ts';
import type { InboxTransaction } from '../ports.ts';
import type { TicketRecord } from '../tickets/types.ts';

/** The officer whose turn it is for a new ticket of `service`, or null (manual mode, or nobody eligible). */
export async function autoAssignee(
  tx: InboxTransaction,
  policy: OfficePolicy,
  service: string,
): Promise<string | null> {
  if (policy.assignment.mode !== 'round_robin') return null;
  return tx.takeAssignmentTurn(service);
}

/** Puts an automatic assignment on record like an officer's (`ticket.assign`), with no actor. */
export async function auditAutoAssignment(
  tx: InboxTransaction,
  ticket: TicketRecord,
  at: Date,
): Promise<void> {
  if (!ticket.assigneeId) return;
  await tx.recordAudit({
    actorId: null,
    action: 'ticket.assign',
    target: `ticket:${ticket.id}`,
    at,
    meta: { assigneeId: ticket.assigneeId, previousAssigneeId: null, by: 'round_robin' },
  });
}
