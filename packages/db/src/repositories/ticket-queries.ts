import type { TicketFilter, TicketQueries } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { decodeCursor, pageOf } from './cursor.ts';
import { isQueryableText, messageInclude, ticketInclude, toMessage, toTicketRecord } from './records.ts';

const MAX_PAGE = 200;

/** The officers' inbox reads: newest activity first, with filters and an opaque cursor. */
export function createTicketQueries(prisma: PrismaClient): TicketQueries {
  return {
    async listTickets(filter) {
      const limit = Math.min(Math.max(Math.trunc(filter.limit) || 1, 1), MAX_PAGE);
      if (
        ![filter.service, filter.assignee].every((value) => value === undefined || isQueryableText(value))
      ) {
        return { items: [], nextCursor: null };
      }
      const rows = await prisma.ticket.findMany({
        where: ticketWhere(filter),
        orderBy: [{ lastMessageAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
        include: ticketInclude,
      });
      const page = pageOf(rows, limit, (row) => ({ at: row.lastMessageAt, id: row.id }));
      return { items: page.items.map(toTicketRecord), nextCursor: page.nextCursor };
    },

    async getTicket(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.ticket.findUnique({ where: { id }, include: ticketInclude });
      return row ? toTicketRecord(row) : null;
    },

    async listMessages(ticketId) {
      if (!isQueryableText(ticketId)) return [];
      const rows = await prisma.message.findMany({
        where: { ticketId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: messageInclude,
      });
      return rows.map(toMessage);
    },

    async updateTicket(id, change) {
      if (!isQueryableText(id)) return null;
      // `serviceDetected` is left alone on purpose: reports compare the classifier's guess with the
      // officer's correction.
      const data: Prisma.TicketUncheckedUpdateManyInput = {};
      if (change.status !== undefined) data.status = change.status;
      if (change.assigneeId !== undefined) data.assigneeId = change.assigneeId;
      if (change.service !== undefined) data.service = change.service;
      if (change.priority !== undefined) data.priority = change.priority;
      // updateMany reports "not found" as a count instead of throwing.
      const { count } = await prisma.ticket.updateMany({ where: { id }, data });
      if (!count) return null;
      const row = await prisma.ticket.findUnique({ where: { id }, include: ticketInclude });
      return row ? toTicketRecord(row) : null;
    },
  };
}

function ticketWhere(filter: TicketFilter): Prisma.TicketWhereInput {
  const and: Prisma.TicketWhereInput[] = [];
  if (filter.status) and.push({ status: filter.status });
  if (filter.channel) and.push({ channel: filter.channel });
  if (filter.service) and.push({ service: filter.service });
  if (filter.assignee) and.push({ assigneeId: filter.assignee === 'none' ? null : filter.assignee });
  const q = filter.q?.replaceAll('\u0000', '').trim();
  if (q) {
    const contains = { contains: q, mode: 'insensitive' } as const;
    and.push({
      OR: [
        { number: contains },
        { contact: { displayName: contains } },
        { messages: { some: { text: contains } } },
      ],
    });
  }
  const after = decodeCursor(filter.cursor);
  if (after) {
    and.push({
      OR: [{ lastMessageAt: { lt: after.at } }, { lastMessageAt: after.at, id: { lt: after.id } }],
    });
  }
  return { AND: and };
}
