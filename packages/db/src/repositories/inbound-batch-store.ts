// The batched inbound path's SQL: a fixed number of set-based statements per batch, whatever its
// size. Rows go in as parallel arrays through unnest(), so each statement's text (and plan) is the
// same every time. Timestamps travel as ISO strings: the columns are UTC `timestamp(3)`, as Prisma
// writes them.
import type {
  BatchContact,
  BatchEvent,
  ChannelName,
  InboundBatchStore,
  InboundBatchTransaction,
  InboundBatchWrites,
  InboxTransaction,
  TicketRecord,
} from '@loket/core';
import { identityKey, messageKey } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { messageCreatedPayload, type NewEvent, recordEvents, ticketSummary } from './event-log.ts';
import { TICKET_RECORD_COLUMNS } from './ticket-list.ts';
import { retryOnConflict } from './transaction-retry.ts';

type Tx = Prisma.TransactionClient;

const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);

/** `inboxOf` gives the batch the inbox's own methods it reuses (queueing deliveries). */
export function createInboundBatchStore(
  prisma: PrismaClient,
  inboxOf: (tx: Tx) => Pick<InboxTransaction, 'queueDeliveries'>,
): InboundBatchStore {
  return {
    inboundBatch<T>(work: (tx: InboundBatchTransaction) => Promise<T>): Promise<T> {
      return retryOnConflict(() =>
        prisma.$transaction((tx) => work(inboundBatchTransaction(tx, inboxOf(tx)))),
      );
    },
  };
}

/** A ticket as the raw query returns it: the channel is plain text until it is typed. */
type TicketRow = Omit<TicketRecord, 'channel'> & { channel: string };

function inboundBatchTransaction(
  tx: Tx,
  inbox: Pick<InboxTransaction, 'queueDeliveries'>,
): InboundBatchTransaction {
  return {
    async findMessagesByExternalIds(keys) {
      if (!keys.length) return new Map();
      const rows = await tx.$queryRaw<
        { id: string; ticketId: string; channel: string; externalId: string }[]
      >`
        SELECT m.id, m."ticketId", m.channel, m."externalId"
        FROM "Message" m
        JOIN unnest(${keys.map((k) => k.channel)}::text[], ${keys.map((k) => k.externalId)}::text[])
          AS k(channel, external_id) ON m.channel = k.channel AND m."externalId" = k.external_id`;
      return new Map(rows.map((row) => [messageKey(row.channel, row.externalId), row]));
    },

    async lockContactsByIdentity(identities) {
      const unique = [
        ...new Map(identities.map((i) => [identityKey(i.channel, i.externalUserId), i])).values(),
      ];
      if (!unique.length) return new Map();
      // ORDER BY before FOR UPDATE: rows are locked in id order, as findOrCreateContact locks them.
      const rows = await tx.$queryRaw<(BatchContact & { channel: string; externalUserId: string })[]>`
        SELECT ci.channel, ci."externalUserId", c.id, c."displayName", c.phone, c."sourceCode"
        FROM "ContactIdentity" ci
        JOIN unnest(${unique.map((i) => i.channel)}::text[], ${unique.map((i) => i.externalUserId)}::text[])
          AS k(channel, external_user_id) ON ci.channel = k.channel AND ci."externalUserId" = k.external_user_id
        JOIN "Contact" c ON c.id = ci."contactId"
        ORDER BY c.id
        FOR UPDATE OF c`;
      return new Map(
        rows.map((row) => [
          identityKey(row.channel, row.externalUserId),
          { id: row.id, displayName: row.displayName, phone: row.phone, sourceCode: row.sourceCode },
        ]),
      );
    },

    async findActiveTickets(contactIds) {
      if (!contactIds.length) return [];
      const rows = await tx.$queryRaw<TicketRow[]>`
        SELECT ${TICKET_RECORD_COLUMNS}
        FROM "Ticket" t JOIN "Contact" c ON c.id = t."contactId"
        WHERE t."contactId" = ANY(${contactIds}::text[]) AND t.status IN ('open', 'pending')
        ORDER BY t."createdAt" DESC, t.id DESC`;
      return rows.map((row): TicketRecord => ({ ...row, channel: row.channel as ChannelName }));
    },

    async reserveTicketSequences(year, count) {
      const rows = await tx.$queryRaw<{ value: number }[]>`
        INSERT INTO "TicketCounter" (year, value) VALUES (${year}, ${count})
        ON CONFLICT (year) DO UPDATE SET value = "TicketCounter".value + ${count}
        RETURNING value`;
      const value = rows[0]?.value;
      if (value === undefined) throw new Error(`ticket counter for ${year} returned no row`);
      return Number(value) - count + 1;
    },

    async writeInboundBatch(writes) {
      await insertContacts(tx, writes);
      await insertTickets(tx, writes.tickets);
      await insertMessages(tx, writes);
      await touchTickets(tx, writes.touches);
      await recordEvents(tx, writes.events.map(toEvent));
      // Through the inbox's own method: delivery may move to a job queue behind it.
      await inbox.queueDeliveries(writes.deliveries);
    },
  };
}

async function insertContacts(tx: Tx, writes: InboundBatchWrites): Promise<void> {
  const { contacts, identities, contactFills } = writes;
  if (contacts.length) {
    await tx.$executeRaw`
      INSERT INTO "Contact" (id, "displayName", phone, "sourceCode", "updatedAt")
      SELECT id, name, phone, source, now()
      FROM unnest(${contacts.map((c) => c.id)}::text[], ${contacts.map((c) => c.displayName)}::text[],
        ${contacts.map((c) => c.phone)}::text[], ${contacts.map((c) => c.sourceCode)}::text[])
        AS v(id, name, phone, source)`;
  }
  if (identities.length) {
    await tx.$executeRaw`
      INSERT INTO "ContactIdentity" (id, "contactId", channel, "externalUserId", handle)
      SELECT * FROM unnest(${identities.map((i) => i.id)}::text[], ${identities.map((i) => i.contactId)}::text[],
        ${identities.map((i) => i.channel)}::text[], ${identities.map((i) => i.externalUserId)}::text[],
        ${identities.map((i) => i.handle)}::text[])`;
  }
  if (contactFills.length) {
    // Fill only what is still empty: the first banner (and phone) that reached the contact counts.
    await tx.$executeRaw`
      UPDATE "Contact" c
      SET phone = COALESCE(c.phone, v.phone), "sourceCode" = COALESCE(c."sourceCode", v.source), "updatedAt" = now()
      FROM unnest(${contactFills.map((c) => c.id)}::text[], ${contactFills.map((c) => c.phone)}::text[],
        ${contactFills.map((c) => c.sourceCode)}::text[]) AS v(id, phone, source)
      WHERE c.id = v.id`;
  }
}

async function insertTickets(tx: Tx, tickets: TicketRecord[]): Promise<void> {
  if (!tickets.length) return;
  const col = <T>(pick: (t: TicketRecord) => T) => tickets.map(pick);
  await tx.$executeRaw`
    INSERT INTO "Ticket" (id, number, status, channel, "threadId", "contactId", service, "serviceDetected",
      priority, "assigneeId", "sourceCode", "firstResponseDueAt", "slaWarnAt", "afterHoursNoticeFor",
      "createdAt", "updatedAt", "lastMessageAt", "lastInboundAt")
    SELECT id, number, status::"TicketStatus", channel, thread, contact, service, detected,
      priority::"TicketPriority", assignee, source, due::timestamp(3), warn::timestamp(3),
      notice::timestamp(3), created::timestamp(3), now(), last_message::timestamp(3), last_inbound::timestamp(3)
    FROM unnest(${col((t) => t.id)}::text[], ${col((t) => t.number)}::text[], ${col((t) => t.status)}::text[],
      ${col((t) => t.channel)}::text[], ${col((t) => t.threadId)}::text[], ${col((t) => t.contactId)}::text[],
      ${col((t) => t.service)}::text[], ${col((t) => t.serviceDetected)}::text[], ${col((t) => t.priority)}::text[],
      ${col((t) => t.assigneeId)}::text[], ${col((t) => t.sourceCode)}::text[],
      ${col((t) => iso(t.firstResponseDueAt))}::text[], ${col((t) => iso(t.slaWarnAt))}::text[],
      ${col((t) => iso(t.afterHoursNoticeFor))}::text[], ${col((t) => iso(t.createdAt))}::text[],
      ${col((t) => iso(t.lastMessageAt))}::text[], ${col((t) => iso(t.lastInboundAt))}::text[])
      AS v(id, number, status, channel, thread, contact, service, detected, priority, assignee, source, due,
        warn, notice, created, last_message, last_inbound)`;
}

async function insertMessages(tx: Tx, writes: InboundBatchWrites): Promise<void> {
  const messages = writes.messages;
  if (!messages.length) return;
  const col = <T>(pick: (m: (typeof messages)[number]) => T) => messages.map(pick);
  await tx.$executeRaw`
    INSERT INTO "Message" (id, "ticketId", direction, text, channel, "externalId", "authorId", automated,
      "deliveryStatus", extra, "createdAt")
    SELECT id, ticket, direction::"MessageDirection", text, channel, external, author, automated::boolean,
      status::"DeliveryStatus", extra::jsonb, created::timestamp(3)
    FROM unnest(${col((m) => m.id)}::text[], ${col((m) => m.ticketId)}::text[], ${col((m) => m.direction)}::text[],
      ${col((m) => m.text)}::text[], ${col((m) => m.channel)}::text[], ${col((m) => m.externalId ?? null)}::text[],
      ${col((m) => m.authorId ?? null)}::text[], ${col((m) => String(m.automated ?? false))}::text[],
      ${col((m) => m.deliveryStatus ?? null)}::text[], ${col((m) => (m.extra ? JSON.stringify(m.extra) : null))}::text[],
      ${col((m) => iso(m.createdAt))}::text[])
      AS v(id, ticket, direction, text, channel, external, author, automated, status, extra, created)`;
  const attachments = messages.flatMap((m) =>
    m.attachments.map((a, position) => ({ ...a, position, messageId: m.id, createdAt: m.createdAt })),
  );
  if (!attachments.length) return;
  const att = <T>(pick: (a: (typeof attachments)[number]) => T) => attachments.map(pick);
  await tx.$executeRaw`
    INSERT INTO "Attachment" (id, "messageId", position, kind, mime, name, size, "storageKey", error, "createdAt")
    SELECT id, message, position::int, kind, mime, name, size::int, storage, error, created::timestamp(3)
    FROM unnest(${att((a) => a.id)}::text[], ${att((a) => a.messageId)}::text[], ${att((a) => String(a.position))}::text[],
      ${att((a) => a.kind)}::text[], ${att((a) => a.mime)}::text[], ${att((a) => a.name)}::text[],
      ${att((a) => String(a.size))}::text[], ${att((a) => a.storageKey)}::text[], ${att((a) => a.error)}::text[],
      ${att((a) => iso(a.createdAt))}::text[])
      AS v(id, message, position, kind, mime, name, size, storage, error, created)`;
}

async function touchTickets(tx: Tx, touches: InboundBatchWrites['touches']): Promise<void> {
  if (!touches.length) return;
  const col = <T>(pick: (t: (typeof touches)[number]) => T) => touches.map(pick);
  // Only the columns the batch changed: an officer's concurrent change of the others is kept.
  await tx.$executeRaw`
    UPDATE "Ticket" t
    SET "lastMessageAt" = v.last_message::timestamp(3), "lastInboundAt" = v.last_inbound::timestamp(3),
      status = COALESCE(v.status::"TicketStatus", t.status), service = COALESCE(v.service, t.service),
      "afterHoursNoticeFor" = COALESCE(v.notice::timestamp(3), t."afterHoursNoticeFor"), "updatedAt" = now()
    FROM unnest(${col((t) => t.id)}::text[], ${col((t) => iso(t.lastMessageAt))}::text[],
      ${col((t) => iso(t.lastInboundAt))}::text[], ${col((t) => t.status ?? null)}::text[],
      ${col((t) => t.service ?? null)}::text[], ${col((t) => iso(t.afterHoursNoticeFor))}::text[])
      AS v(id, last_message, last_inbound, status, service, notice)
    WHERE t.id = v.id`;
}

/** The payloads recordEvent would write, in the same order (ids follow the array's order). */
function eventPayload(event: BatchEvent): Record<string, unknown> {
  switch (event.type) {
    case 'ticket.created':
      return { ticket: ticketSummary(event.ticket) };
    case 'ticket.updated':
      return { ticketId: event.ticketId, changes: event.changes };
    case 'message.created':
      return messageCreatedPayload(event.message);
  }
}

function eventTicketId(event: BatchEvent): string {
  if (event.type === 'ticket.created') return event.ticket.id;
  if (event.type === 'ticket.updated') return event.ticketId;
  return event.message.ticketId;
}

function toEvent(event: BatchEvent): NewEvent {
  return { type: event.type, ticketId: eventTicketId(event), payload: eventPayload(event) };
}
