import { randomUUID } from 'node:crypto';
import type { AuditFilter, AuditLog } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { decodeCursor, pageOf } from './cursor.ts';
import { isQueryableText } from './records.ts';

const MAX_PAGE = 200;

/** Who did what to which ticket, contact or setting. Append-only; listed newest first. */
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
    async list(filter) {
      const take = Math.min(Math.max(Math.trunc(filter.limit) || 1, 1), MAX_PAGE);
      const texts = [filter.actorId, filter.action, filter.target];
      if (!texts.every((text) => text === undefined || isQueryableText(text))) {
        return { items: [], nextCursor: null };
      }
      const rows = await prisma.auditLog.findMany({
        where: auditWhere(filter),
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take: take + 1,
        select: { id: true, actorId: true, action: true, target: true, at: true, meta: true },
      });
      const page = pageOf(rows, take, (row) => ({ at: row.at, id: row.id }));
      return {
        items: page.items.map((row) => ({
          ...row,
          meta: (row.meta as Record<string, unknown> | null) ?? null,
        })),
        nextCursor: page.nextCursor,
      };
    },
  };
}

function auditWhere(filter: AuditFilter): Prisma.AuditLogWhereInput {
  const and: Prisma.AuditLogWhereInput[] = [];
  if (filter.actorId) and.push({ actorId: filter.actorId });
  if (filter.target) and.push({ target: filter.target });
  if (filter.action) {
    // `ticket.` is every ticket action; a full name is exactly that action. Prisma passes a prefix to
    // LIKE as it is, so its wildcards (`_` in `pairing_code`) are escaped to match only themselves.
    const prefix = filter.action.endsWith('.') ? filter.action.replace(/[\\%_]/g, '\\$&') : null;
    and.push({ action: prefix ? { startsWith: prefix } : filter.action });
  }
  if (filter.from) and.push({ at: { gte: filter.from } });
  if (filter.to) and.push({ at: { lt: filter.to } });
  // The cursor is the (at, id) of the last row seen: stable while new entries arrive at the top.
  const after = decodeCursor(filter.cursor);
  if (after) and.push({ OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] });
  return { AND: and };
}
