import type { ChannelName, ComplaintStatus, ContactRecord, ContactRecords } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { anonymiseContact } from './contact-anonymisation.ts';
import { decodeCursor, pageOf } from './cursor.ts';
import {
  isQueryableText,
  messageInclude,
  ticketInclude,
  toComplaint,
  toMessage,
  toTicketRecord,
} from './records.ts';
import { retryOnConflict } from './transaction-retry.ts';

const MAX_PAGE = 200;

const contactRecordInclude = {
  identities: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
  _count: { select: { tickets: true } },
} satisfies Prisma.ContactInclude;
type ContactRecordRow = Prisma.ContactGetPayload<{ include: typeof contactRecordInclude }>;

function toContactRecord(row: ContactRecordRow): ContactRecord {
  return {
    id: row.id,
    displayName: row.displayName,
    phone: row.phone,
    sourceCode: row.sourceCode,
    anonymizedAt: row.anonymizedAt,
    createdAt: row.createdAt,
    identities: row.identities.map((identity) => ({
      channel: identity.channel as ChannelName,
      externalUserId: identity.externalUserId,
      handle: identity.handle,
      createdAt: identity.createdAt,
    })),
    ticketCount: row._count.tickets,
  };
}

/** Citizens for their data rights: finding one, everything about them, and erasing them. */
export function createContactRecords(prisma: PrismaClient): ContactRecords {
  return {
    async search(filter) {
      const limit = Math.min(Math.max(Math.trunc(filter.limit) || 1, 1), MAX_PAGE);
      const rows = await prisma.contact.findMany({
        where: contactWhere(filter.q, filter.cursor),
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
        include: contactRecordInclude,
      });
      const page = pageOf(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
      return { items: page.items.map(toContactRecord), nextCursor: page.nextCursor };
    },

    async get(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.contact.findUnique({
        where: { id },
        include: {
          ...contactRecordInclude,
          tickets: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], include: ticketInclude },
        },
      });
      if (!row) return null;
      return { ...toContactRecord(row), tickets: row.tickets.map(toTicketRecord) };
    },

    async export(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.contact.findUnique({
        where: { id },
        include: {
          ...contactRecordInclude,
          tickets: {
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            include: {
              ...ticketInclude,
              messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: messageInclude },
              complaints: {
                orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
                include: { events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] } },
              },
            },
          },
        },
      });
      if (!row) return null;
      return {
        contact: toContactRecord(row),
        tickets: row.tickets.map((ticket) => ({
          ...toTicketRecord(ticket),
          messages: ticket.messages.map(toMessage),
          complaints: ticket.complaints.map((complaint) => ({
            ...toComplaint(complaint),
            events: complaint.events.map((event) => ({
              id: event.id,
              fromStatus: event.fromStatus as ComplaintStatus | null,
              toStatus: event.toStatus as ComplaintStatus,
              actorId: event.actorId,
              note: event.note,
              at: event.at,
            })),
          })),
        })),
      };
    },

    anonymise(id, options) {
      if (!isQueryableText(id)) return Promise.resolve(null);
      // A citizen with years of messages is more work than Prisma's default 5 s allows; it is one
      // admin action, rare, and waiting beats failing halfway into a rollback.
      return retryOnConflict(() =>
        prisma.$transaction((tx) => anonymiseContact(tx, id, options), { maxWait: 10_000, timeout: 120_000 }),
      );
    },
  };
}

/**
 * Name, phone or handle (any part, ignoring case), or the exact user id on a channel. A phone typed
 * the Indonesian way (0812…) also finds the stored international form (62812…).
 */
function contactWhere(q: string | undefined, cursor: string | undefined): Prisma.ContactWhereInput {
  const and: Prisma.ContactWhereInput[] = [];
  const text = q?.replaceAll('\u0000', '').trim();
  if (text) {
    // Prisma hands `contains` to LIKE as it is: escape its wildcards so `%` finds a percent sign.
    const literal = (value: string) => value.replace(/[\\%_]/g, '\\$&');
    const contains = (value: string) => ({ contains: literal(value), mode: 'insensitive' as const });
    const handle = text.replace(/^@/, '');
    const or: Prisma.ContactWhereInput[] = [
      { displayName: contains(text) },
      { phone: contains(text) },
      {
        identities: {
          some: { OR: [{ handle: contains(handle) }, { externalUserId: text }, { externalUserId: handle }] },
        },
      },
    ];
    const digits = text.replace(/[\s().+-]/g, '');
    if (/^\d{5,}$/.test(digits)) {
      or.push({ phone: { contains: digits } });
      if (digits.startsWith('0')) or.push({ phone: { contains: `62${digits.slice(1)}` } });
    }
    and.push({ OR: or });
  }
  const after = decodeCursor(cursor);
  if (after) {
    and.push({ OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] });
  }
  return { AND: and };
}
