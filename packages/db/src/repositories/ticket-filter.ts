// The inbox filters of `GET /v1/tickets` as one Prisma `where`. Every part works the same on PGlite
// and PostgreSQL: plain comparisons, EXISTS through relation filters, and ILIKE with escaped input.
import type { SlaState, TicketFilter } from '@loket/core';
import type { Prisma } from '../generated/prisma/client.ts';
import { decodeCursor } from './cursor.ts';
import { containsText } from './like-pattern.ts';

export function ticketWhere(filter: TicketFilter, now: Date): Prisma.TicketWhereInput {
  const and: Prisma.TicketWhereInput[] = [];
  if (filter.status) and.push({ status: filter.status });
  if (filter.channel) and.push({ channel: filter.channel });
  if (filter.service) and.push({ service: filter.service });
  if (filter.assignee) and.push({ assigneeId: filter.assignee === 'none' ? null : filter.assignee });
  if (filter.slaState) and.push(slaStateWhere(filter.slaState, now));
  if (filter.overdue) {
    // What still needs someone: a resolved or closed ticket is not overdue, answered or not.
    and.push({ status: { in: ['open', 'pending'] }, ...slaStateWhere('breached', now) });
  }
  const q = filter.q?.replaceAll('\u0000', '').trim();
  if (q) and.push({ OR: searchConditions(q) });
  // The page key is (lastMessageAt, id), the whole ORDER BY, so pages never overlap. A ticket created
  // while someone pages sorts above the cursor and never shifts the pages below it; one written to
  // moves up too, and shows at the top of the next first page instead of twice.
  const after = decodeCursor(filter.cursor);
  if (after) {
    and.push({
      OR: [{ lastMessageAt: { lt: after.at } }, { lastMessageAt: after.at, id: { lt: after.id } }],
    });
  }
  return { AND: and };
}

/**
 * `slaStateAt` (core's sla/sla-state.ts) as conditions on the row, rule for rule: answered is `met`;
 * otherwise due time reached is `breached`, warning time reached is `warning`, else `on_track`.
 * A test runs both over the same tickets.
 */
export function slaStateWhere(state: SlaState, now: Date): Prisma.TicketWhereInput {
  switch (state) {
    case 'met':
      return { firstRespondedAt: { not: null } };
    case 'breached':
      return { firstRespondedAt: null, firstResponseDueAt: { lte: now } };
    case 'warning':
      return { firstRespondedAt: null, firstResponseDueAt: { gt: now }, slaWarnAt: { lte: now } };
    case 'on_track':
      return { firstRespondedAt: null, firstResponseDueAt: { gt: now }, slaWarnAt: { gt: now } };
  }
}

/**
 * Where `q` may be found: the ticket number, the citizen's name, phone, handle or user id on the
 * channel, and what people wrote (the citizen, officers' replies and notes). Loket's automatic texts
 * are left out: every acknowledgement names the office and a ticket number, and would match them all.
 */
function searchConditions(q: string): Prisma.TicketWhereInput[] {
  const text = containsText(q);
  const conditions: Prisma.TicketWhereInput[] = [
    { number: text },
    { contact: { displayName: text } },
    { contact: { phone: text } },
    { contact: { identities: { some: { OR: [{ handle: text }, { externalUserId: text }] } } } },
    { messages: { some: { text, automated: false, direction: { in: ['inbound', 'outbound', 'note'] } } } },
  ];
  const national = nationalNumber(q);
  if (national) {
    conditions.push(
      { contact: { phone: { contains: national } } },
      { contact: { identities: { some: { externalUserId: { contains: national } } } } },
    );
  }
  return conditions;
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
