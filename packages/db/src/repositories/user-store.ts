import { randomUUID } from 'node:crypto';
import type { User, UserChange, UserStore } from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import type { SqlReader } from '../sql-reader.ts';
import { isQueryableText } from './records.ts';

function toUser(row: Rows.User | User): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    autoAssign: row.autoAssign,
    services: row.services,
    createdAt: row.createdAt,
  };
}

/**
 * Staff accounts. Only a token's hash is stored; an inactive user is found (so the API can say why)
 * but never counted as an admin. A duplicate email rejects with Prisma's P2002.
 */
export function createUserStore(prisma: PrismaClient, reader: SqlReader): UserStore {
  return {
    // Every API request starts here, so it reads on the driver: through Prisma this one-row lookup
    // cost about 0.25 ms of the Node process's CPU per request, more than the rest of the auth.
    async findByTokenHash(tokenHash) {
      if (!isQueryableText(tokenHash)) return null;
      const rows = await reader.rows<User>(Prisma.sql`
        SELECT id, name, email, role::text AS role, active, "autoAssign", services, "createdAt"
        FROM "User" WHERE "tokenHash" = ${tokenHash}`);
      const row = rows[0];
      return row ? toUser(row) : null;
    },
    async findById(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.user.findUnique({ where: { id } });
      return row ? toUser(row) : null;
    },
    async create(user) {
      const row = await prisma.user.create({ data: { id: randomUUID(), ...user } });
      return toUser(row);
    },
    countAdmins() {
      return prisma.user.count({ where: { role: 'admin', active: true } });
    },
    async list(filter) {
      const rows = await prisma.user.findMany({
        where: {
          ...(filter.active !== undefined ? { active: filter.active } : {}),
          ...(filter.role ? { role: filter.role } : {}),
        },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toUser);
    },
    async update(id, change) {
      if (!isQueryableText(id)) return { outcome: 'not_found' };
      return prisma
        .$transaction(async (tx) => {
          // Every active admin's row is locked first, in one order, so two changes that could each
          // remove an admin run one after the other and the second sees the first's result.
          await tx.$queryRaw`SELECT id FROM "User" WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`;
          const before = await tx.user.findUnique({ where: { id } });
          if (!before) return { outcome: 'not_found' } as const;
          const row = await tx.user.update({ where: { id }, data: userData(change) });
          if (wasActiveAdmin(before) && !wasActiveAdmin(row)) {
            const admins = await tx.user.count({ where: { role: 'admin', active: true } });
            // Throwing rolls the change back; the caller gets the reason, not the error.
            if (admins === 0) throw new LastAdminError();
          }
          return { outcome: 'updated', user: toUser(row), before: toUser(before) } as const;
        })
        .catch((error: unknown) => {
          if (error instanceof LastAdminError) return { outcome: 'last_admin' } as const;
          throw error;
        });
    },
    async replaceToken(id, tokenHash) {
      if (!isQueryableText(id)) return null;
      const { count } = await prisma.user.updateMany({ where: { id }, data: { tokenHash } });
      if (!count) return null;
      const row = await prisma.user.findUnique({ where: { id } });
      return row ? toUser(row) : null;
    },
  };
}

class LastAdminError extends Error {}

function wasActiveAdmin(row: { role: string; active: boolean }): boolean {
  return row.role === 'admin' && row.active;
}

function userData(change: UserChange): Prisma.UserUpdateInput {
  const data: Prisma.UserUpdateInput = {};
  if (change.name !== undefined) data.name = change.name;
  if (change.role !== undefined) data.role = change.role;
  if (change.active !== undefined) data.active = change.active;
  if (change.autoAssign !== undefined) data.autoAssign = change.autoAssign;
  if (change.services !== undefined) data.services = { set: change.services };
  return data;
}
