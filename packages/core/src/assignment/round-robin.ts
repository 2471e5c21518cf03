// Round-robin auto-assignment (office policy `assignment.mode: 'round_robin'`). The store keeps, per
// service, who got the last ticket; these rules say who may get one and who is next.

/** What the turn needs to know about a staff member. */
export type AssignableUser = {
  id: string;
  role: 'officer' | 'supervisor' | 'admin';
  active: boolean;
  autoAssign: boolean;
  /** Services this officer takes; empty: all of them. */
  services: readonly string[];
};

/**
 * Only active officers who accept auto-assignment and take this service. Supervisors and admins are
 * left out on purpose: they pick up tickets by hand when they want to.
 */
export function takesAutoAssignedTicket(user: AssignableUser, service: string): boolean {
  return (
    user.role === 'officer' &&
    user.active &&
    user.autoAssign &&
    (user.services.length === 0 || user.services.includes(service))
  );
}

/**
 * The officer after `lastUserId` in id order, wrapping around; the first one when nobody had a turn
 * yet or the last one is no longer eligible and sorted last. Null when nobody is eligible. Ordering
 * by id (not by name or join date) keeps the turn stable when people are renamed or added.
 */
export function nextInTurn(eligibleUserIds: readonly string[], lastUserId: string | null): string | null {
  const sorted = [...eligibleUserIds].sort(compareIds);
  if (!sorted.length) return null;
  if (lastUserId === null) return sorted[0] ?? null;
  return sorted.find((id) => compareIds(id, lastUserId) > 0) ?? sorted[0] ?? null;
}

/** Plain code-unit order, the same as PostgreSQL's `COLLATE "C"`, so memory and database agree. */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
