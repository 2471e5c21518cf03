import { randomUUID } from 'node:crypto';
import type { AuditLog } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { decodeCursor, pageOf } from './cursor.ts';

const MAX_PAGE = 200;

/** Who did what to which ticket or setting. Append-only; listed newest first. */
export function createAuditLog(prisma: PrismaClient): AuditLog {
  return {
    async record(entry) {
      await prisma.auditLog.create({
        data: {
          id: randomUUID(),
          actorId: entry.actorId,
          action: entry.action,
          target: entry.target,
          ...(entry.meta ? { meta: entry.meta as Prisma.InputJsonObject } : {}),
        },
      });
    },
    async list({ limit, cursor }) {
      const take = Math.min(Math.max(Math.trunc(limit) || 1, 1), MAX_PAGE);
      const after = decodeCursor(cursor);
      const rows = await prisma.auditLog.findMany({
        where: after ? { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] } : {},
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take: take + 1,
        select: { id: true, actorId: true, action: true, target: true, at: true },
      });
      return pageOf(rows, take, (row) => ({ at: row.at, id: row.id }));
    },
  };
}
