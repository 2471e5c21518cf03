// The inbox page as one statement: the tickets by keyset on (lastMessageAt, id), joined to their
// contact's name, only the columns a TicketRecord has.
//
// Why not `findMany({ include })`: that was two statements (tickets, then contacts by id), and on 1M
// tickets under load most of a request's time went into the ORM turning 51 rows of 21 columns into
// objects, not into the database (see the README's Performance section). Measured on the 1M bench
// database, the rows as they are beat having PostgreSQL build one JSON text (json_agg): building it
// cost the database about 1 ms more per page than Node saved by parsing one string.
import type { TicketFilter, TicketRecord } from '@loket/core';
import { Prisma } from '../generated/prisma/client.ts';
import type { SqlReader } from '../sql-reader.ts';
import { pageOf } from './cursor.ts';
import { ticketConditions } from './ticket-filter.ts';

const { sql } = Prisma;

/**
 * A TicketRecord's columns, from `"Ticket" t` joined to `"Contact" c`: what every raw read of whole
 * tickets selects. The enums as text: the raw query hands back what PostgreSQL sends, and core's
 * unions are text.
 */
export const TICKET_RECORD_COLUMNS = sql`
  t.id, t.number, t.status::text AS status, t.channel, t."threadId", t."contactId",
  c."displayName" AS "contactName", t.service, t."serviceDetected", t.priority::text AS priority,
  t."assigneeId", t."sourceCode", t."firstResponseDueAt", t."slaWarnAt", t."firstRespondedAt",
  t."slaBreachedAt", t."afterHoursNoticeFor", t."createdAt", t."lastMessageAt", t."lastInboundAt"`;

/** One page, newest activity first; `limit` is already clamped by the caller. */
export async function listTicketPage(
  reader: SqlReader,
  filter: TicketFilter,
  limit: number,
  now: Date,
): Promise<{ items: TicketRecord[]; nextCursor: string | null }> {
  const conditions = ticketConditions(filter, now);
  const where = conditions.length ? sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  // One row more than the page says whether there is a next page.
  const rows = await reader.rows<TicketRecord>(sql`
    SELECT ${TICKET_RECORD_COLUMNS}
    FROM "Ticket" t
    JOIN "Contact" c ON c.id = t."contactId"
    ${where}
    ORDER BY t."lastMessageAt" DESC, t.id DESC
    LIMIT ${limit + 1}`);
  return pageOf(rows, limit, (ticket) => ({ at: ticket.lastMessageAt, id: ticket.id }));
}
