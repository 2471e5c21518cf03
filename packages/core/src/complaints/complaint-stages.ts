// The stages of a pengaduan, after the national SP4N-LAPOR! process: received → verified (within 3
// working days) → in_follow_up (a follow-up plan within 5 working days) → resolved | rejected.
export const COMPLAINT_STATUSES = ['received', 'verified', 'in_follow_up', 'resolved', 'rejected'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_REASONS = ['sla_breach', 'citizen_request', 'manual'] as const;
export type ComplaintReason = (typeof COMPLAINT_REASONS)[number];

const NEXT: Record<ComplaintStatus, ComplaintStatus[]> = {
  received: ['verified', 'rejected'],
  verified: ['in_follow_up', 'rejected'],
  in_follow_up: ['resolved', 'rejected'],
  resolved: [],
  rejected: [],
};

/** Working days a complaint may stay in a stage before it is overdue and escalated to admins. */
export const STAGE_WORKING_DAYS: Record<ComplaintStatus, number | null> = {
  received: 3,
  verified: 5,
  in_follow_up: 14,
  resolved: null,
  rejected: null,
};

export function canMoveComplaint(from: ComplaintStatus, to: ComplaintStatus): boolean {
  return NEXT[from].includes(to);
}

export function isFinalComplaintStatus(status: ComplaintStatus): boolean {
  return NEXT[status].length === 0;
}

/** Counts working days on the office calendar (service days that are not holidays). */
export type WorkingDays = { addWorkingDays(from: Date, days: number): Date };

export function stageDueAt(status: ComplaintStatus, enteredAt: Date, calendar: WorkingDays): Date | null {
  const days = STAGE_WORKING_DAYS[status];
  return days === null ? null : calendar.addWorkingDays(enteredAt, days);
}

export type Complaint = {
  id: string;
  number: string;
  ticketId: string;
  reason: ComplaintReason;
  status: ComplaintStatus;
  stageDueAt: Date | null;
  escalatedAt: Date | null;
  resolution: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type ComplaintWithTicket = Complaint & { ticketNumber: string; channel: string; contactName: string };
