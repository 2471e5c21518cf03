import type { ChannelName, ComplaintQueries, ComplaintWithTicket } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { decodeCursor, pageOf } from './cursor.ts';
import { isQueryableText, toComplaint } from './records.ts';

const withTicket = {
  ticket: { select: { number: true, channel: true, contact: { select: { displayName: true } } } },
} satisfies Prisma.ComplaintInclude;

type Row = Prisma.ComplaintGetPayload<{ include: typeof withTicket }>;

function toComplaintWithTicket(row: Row): ComplaintWithTicket {
  return {
    ...toComplaint(row),
    ticketNumber: row.ticket.number,
    channel: row.ticket.channel as ChannelName,
    contactName: row.ticket.contact.displayName,
  };
}

/** Complaints for supervisors, newest first, with a stable cursor. */
export function createComplaintQueries(prisma: PrismaClient): ComplaintQueries {
  return {
    async listComplaints(filter, now) {
      const after = decodeCursor(filter.cursor);
      const where: Prisma.ComplaintWhereInput = {
        ...(filter.status ? { status: filter.status } : {}),
        ...(filter.channel ? { ticket: { channel: filter.channel } } : {}),
        ...(filter.overdue
          ? { stageDueAt: { lte: now }, status: filter.status ?? { notIn: ['resolved', 'rejected'] } }
          : {}),
        ...(after
          ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }
          : {}),
      };
      const rows = await prisma.complaint.findMany({
        where,
        include: withTicket,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: filter.limit + 1,
      });
      const page = pageOf(rows, filter.limit, (row) => ({ at: row.createdAt, id: row.id }));
      return { items: page.items.map(toComplaintWithTicket), nextCursor: page.nextCursor };
    },

    async getComplaint(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.complaint.findUnique({ where: { id }, include: withTicket });
      return row ? toComplaintWithTicket(row) : null;
    },
  };
}
