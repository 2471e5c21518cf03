import { randomUUID } from 'node:crypto';
import type { User, UserStore } from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { isQueryableText } from './records.ts';

function toUser(row: Rows.User): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: row.active,
    createdAt: row.createdAt,
  };
}

/**
 * Staff accounts. Only a token's hash is stored; an inactive user is found (so the API can say why)
 * but never counted as an admin. A duplicate email rejects with Prisma's P2002.
 */
export function createUserStore(prisma: PrismaClient): UserStore {
  return {
    async findByTokenHash(tokenHash) {
      if (!isQueryableText(tokenHash)) return null;
      const row = await prisma.user.findUnique({ where: { tokenHash } });
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
  };
}
