// The inbox filters of `GET /v1/tickets` as SQL conditions on `"Ticket" t`. The list is one
// hand-written statement (see ticket-list.ts), so the filters are SQL too; everything here runs the
// same on PGlite and PostgreSQL: plain comparisons, EXISTS, and ILIKE with escaped input.
import type { SlaState, TicketFilter } from '@loket/core';
import { Prisma } from '../generated/prisma/client.ts';
import { decodeCursor } from './cursor.ts';
import { escapeLike } from './like-pattern.ts';

const { sql } = Prisma;

/**
 * Timestamps go in as ISO text cast to `timestamp` (the columns are UTC without a zone; the `Z` is
 * ignored by the cast), so the meaning does not depend on how a driver adapter sends a `Date`.
 */
const at = (date: Date) => sql`${date.toISOString()}::timestamp`;

export function ticketConditions(filter: TicketFilter, now: Date): Prisma.Sql[] {
  const and: Prisma.Sql[] = [];
  if (filter.status) and.push(sql`t.status = ${filter.status}::"TicketStatus"`);
  if (filter.channel) and.push(sql`t.channel = ${filter.channel}`);
  if (filter.service) and.push(sql`t.service = ${filter.service}`);
  if (filter.assignee) {
    and.push(
      filter.assignee === 'none' ? sql`t."assigneeId" IS NULL` : sql`t."assigneeId" = ${filter.assignee}`,
    );
  }
  if (filter.slaState) and.push(slaStateCondition(filter.slaState, now));
  if (filter.overdue) {
    // What still needs someone: a resolved or closed ticket is not overdue, answered or not.
    and.push(sql`t.status IN ('open', 'pending')`, slaStateCondition('breached', now));
  }
  const q = filter.q?.replaceAll('\u0000', '').trim();
  if (q) and.push(searchCondition(q));
  // The page key is (lastMessageAt, id), the whole ORDER BY, so pages never overlap. A ticket created
  // while someone pages sorts above the cursor and never shifts the pages below it; one written to
  // moves up too, and shows at the top of the next first page instead of twice. The row comparison
  // is one range on the (lastMessageAt DESC, id DESC) indexes.
  const after = decodeCursor(filter.cursor);
  if (after) and.push(sql`(t."lastMessageAt", t.id) < (${at(after.at)}, ${after.id})`);
  return and;
}

/**
 * `slaStateAt` (core's sla/sla-state.ts) as conditions on the row, rule for rule: answered is `met`;
 * otherwise due time reached is `breached`, warning time reached is `warning`, else `on_track`.
 * A test runs both over the same tickets.
 */
export function slaStateCondition(state: SlaState, now: Date): Prisma.Sql {
  switch (state) {
    case 'met':
      return sql`t."firstRespondedAt" IS NOT NULL`;
    case 'breached':
      return sql`(t."firstRespondedAt" IS NULL AND t."firstResponseDueAt" <= ${at(now)})`;
    case 'warning':
      return sql`(t."firstRespondedAt" IS NULL AND t."firstResponseDueAt" > ${at(now)} AND t."slaWarnAt" <= ${at(now)})`;
    case 'on_track':
      return sql`(t."firstRespondedAt" IS NULL AND t."firstResponseDueAt" > ${at(now)} AND t."slaWarnAt" > ${at(now)})`;
  }
}

/**
 * Where `q` may be found: the ticket number, the citizen's name, phone, handle or user id on the
 * channel, and what people wrote (the citizen, officers' replies and notes). Loket's automatic texts
 * are left out: every acknowledgement names the office and a ticket number, and would match them all.
 * ILIKE's default escape character is the backslash, which `escapeLike` uses.
 */
function searchCondition(q: string): Prisma.Sql {
  const text = `%${escapeLike(q)}%`;
  const national = nationalNumber(q);
  // Digits only, so it needs no escaping; `LIKE` as the phone and user id are stored.
  const digits = national ? `%${national}%` : null;
  return sql`(
    t.number ILIKE ${text}
    OR EXISTS (SELECT 1 FROM "Contact" c WHERE c.id = t."contactId"
      AND (c."displayName" ILIKE ${text} OR c.phone ILIKE ${text}${digits ? sql` OR c.phone LIKE ${digits}` : Prisma.empty}))
    OR EXISTS (SELECT 1 FROM "ContactIdentity" ci WHERE ci."contactId" = t."contactId"
      AND (ci.handle ILIKE ${text} OR ci."externalUserId" ILIKE ${text}${digits ? sql` OR ci."externalUserId" LIKE ${digits}` : Prisma.empty}))
    OR EXISTS (SELECT 1 FROM "Message" m WHERE m."ticketId" = t.id
      AND m.automated = false AND m.direction IN ('inbound', 'outbound', 'note') AND m.text ILIKE ${text})
  )`;
}

/**
 * An officer types a number as the citizen said it (0812-3456-7890, +62 812…); chat apps store it as
 * 6281234567890 or inside a WhatsApp id. The digits after the 0 or 62 prefix match every form.
 */
function nationalNumber(q: string): string | null {
  if (!/^\+?[\d\s().-]+$/.test(q)) return null;
  const national = q.replace(/\D/g, '').replace(/^(?:62|0)/, '');
  return national.length >= 6 ? national : null;
}
