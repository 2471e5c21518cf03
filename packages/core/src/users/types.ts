export const USER_ROLES = ['officer', 'supervisor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type User = {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  active: boolean;
  /** Round-robin: whether new tickets may go to this officer, and for which services (empty: all). */
  autoAssign: boolean;
  services: string[];
  createdAt: Date;
};

const RANK: Record<UserRole, number> = { officer: 1, supervisor: 2, admin: 3 };

/** Roles are ordered: a supervisor may do what an officer may, an admin what a supervisor may. */
export function hasRole(user: { role: UserRole }, required: UserRole): boolean {
  return RANK[user.role] >= RANK[required];
}
