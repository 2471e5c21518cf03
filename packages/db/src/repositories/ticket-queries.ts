import type { TicketQueries } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { prismaReader, type SqlReader } from '../sql-reader.ts';
import { recordEvent, ticketSummary } from './event-log.ts';
import { isQueryableText, messageInclude, ticketInclude, toMessage, toTicketRecord } from './records.ts';
import { listTicketPage } from './ticket-list.ts';

const MAX_PAGE = 200;

/**
 * The officers' inbox reads: newest activity first, with filters and an opaque cursor. The list runs
 * on `reader` (the driver itself, when the database handle is at hand; see sql-reader.ts).
 */
export function createTicketQueries(
  prisma: PrismaClient,
  reader: SqlReader = prismaReader(prisma),
): TicketQueries {
  return {
    // Without `now` the server's clock judges SLA filters; the API passes its own clock's time.
    async listTickets(filter, now = new Date()) {
      const limit = Math.min(Math.max(Math.trunc(filter.limit) || 1, 1), MAX_PAGE);
      if (
        ![filter.service, filter.assignee].every((value) => value === undefined || isQueryableText(value))
      ) {
        return { items: [], nextCursor: null };
      }
      return listTicketPage(reader, filter, limit, now);
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
      return prisma.$transaction(async (tx) => {
        // updateMany reports "not found" as a count instead of throwing.
        const { count } = await tx.ticket.updateMany({ where: { id }, data });
        if (!count) return null;
        const row = await tx.ticket.findUnique({ where: { id }, include: ticketInclude });
        if (!row) return null;
        await recordEvent(tx, 'ticket.updated', id, { ticket: ticketSummary(row), changes: data });
        return toTicketRecord(row);
      });
    },
  };
}
