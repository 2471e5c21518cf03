import { randomUUID } from 'node:crypto';
import type {
  ChannelName,
  Contact,
  ContactIdentityInput,
  InboundBatchStore,
  InboxStore,
  InboxTransaction,
  Message,
  NewMessage,
  NewTicket,
  TicketRecord,
  TicketStatus,
} from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { takeAssignmentTurn } from './assignment-turns.ts';
import { enqueueDeliveries } from './delivery-queue.ts';
import { messageCreatedPayload, recordEvent, ticketSummary } from './event-log.ts';
import { createInboundBatchStore } from './inbound-batch-store.ts';
import {
  contactInclude,
  isQueryableText,
  messageInclude,
  ticketInclude,
  toContact,
  toMessage,
  toTicketRecord,
} from './records.ts';
import { slaAndComplaintMethods } from './sla-and-complaints.ts';
import { retryOnConflict } from './transaction-retry.ts';

type Tx = Prisma.TransactionClient;

/**
 * Core's unit of work as one interactive Prisma transaction (READ COMMITTED), run again when a
 * concurrent writer wins a unique key. Everything inside goes through `tx`: on PGlite, a query on the
 * outer client would wait for this very transaction and never run. It also stores batches of inbound
 * messages with set-based statements (see inbound-batch-store.ts), for the gateway's group commit.
 */
export function createInboxStore(prisma: PrismaClient): InboxStore & InboundBatchStore {
  return {
    transaction<T>(work: (tx: InboxTransaction) => Promise<T>): Promise<T> {
      return retryOnConflict(() => prisma.$transaction((tx) => work(inboxTransaction(tx))));
    },
    ...createInboundBatchStore(prisma, inboxTransaction),
  };
}

export function inboxTransaction(tx: Tx): InboxTransaction {
  return {
    ...slaAndComplaintMethods(tx),
    async findMessageByExternalId(channel, externalId) {
      if (!isQueryableText(externalId)) return null;
      return tx.message.findUnique({
        where: { channel_externalId: { channel, externalId } },
        select: { id: true, ticketId: true },
      });
    },

    findOrCreateContact: (identity) => findOrCreateContact(tx, identity),

    async linkIdentities(channel, externalUserIds) {
      await unifyIdentities(tx, channel, uniqueQueryable(externalUserIds), null);
    },

    async findActiveTicket(contactId, channel, threadId) {
      const row = await tx.ticket.findFirst({
        where: { contactId, channel, threadId, status: { in: ['open', 'pending'] } },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        include: ticketInclude,
      });
      return row ? toTicketRecord(row) : null;
    },

    async getTicket(ticketId, options) {
      if (!isQueryableText(ticketId)) return null;
      // Serialises replies to one ticket; the lock lasts until the transaction ends.
      if (options?.lock) await tx.$queryRaw`SELECT id FROM "Ticket" WHERE id = ${ticketId} FOR UPDATE`;
      const row = await tx.ticket.findUnique({ where: { id: ticketId }, include: ticketInclude });
      return row ? toTicketRecord(row) : null;
    },

    async nextTicketSequence(year) {
      // One statement, atomic under concurrency; the row lock holds until commit, so numbers of
      // rolled-back transactions are reused instead of leaving gaps.
      const rows = await tx.$queryRaw<{ value: number }[]>`
        INSERT INTO "TicketCounter" (year, value) VALUES (${year}, 1)
        ON CONFLICT (year) DO UPDATE SET value = "TicketCounter".value + 1
        RETURNING value`;
      const value = rows[0]?.value;
      if (value === undefined) throw new Error(`ticket counter for ${year} returned no row`);
      return Number(value);
    },

    createTicket: (ticket) => createTicket(tx, ticket),
    takeAssignmentTurn: (service) => takeAssignmentTurn(tx, service),
    appendMessage: (message) => appendMessage(tx, message),

    async touchTicket(ticketId, change) {
      await tx.ticket.update({
        where: { id: ticketId },
        data: {
          lastMessageAt: change.lastMessageAt,
          ...(change.lastInboundAt ? { lastInboundAt: change.lastInboundAt } : {}),
          ...(change.status ? { status: change.status satisfies TicketStatus } : {}),
        },
      });
      if (change.status) {
        await recordEvent(tx, 'ticket.updated', ticketId, { ticketId, changes: { status: change.status } });
      }
    },

    queueDelivery: (job) => enqueueDeliveries(tx, [job]),
    queueDeliveries: (jobs) => enqueueDeliveries(tx, jobs),
  };
}

/**
 * Finds the contact by (channel, external user id) or any alias, or creates it with all of them, and
 * locks the contact row so two messages from one citizen cannot both decide to open a ticket. When two
 * transactions create the same new citizen, the second fails on the identity's unique key and the
 * store runs it again, finding the first one's contact.
 */
async function findOrCreateContact(tx: Tx, identity: ContactIdentityInput): Promise<Contact> {
  const ids = uniqueQueryable([identity.externalUserId, ...(identity.aliases ?? [])]);
  const contactId = await unifyIdentities(tx, identity.channel, ids, identity.handle ?? null);
  if (!contactId) {
    const created = await tx.contact.create({
      data: {
        id: randomUUID(),
        displayName: identity.displayName,
        phone: identity.phone ?? null,
        sourceCode: identity.sourceCode ?? null,
        identities: {
          create: ids.map((externalUserId) => ({
            id: randomUUID(),
            channel: identity.channel,
            externalUserId,
            handle: externalUserId === identity.externalUserId ? (identity.handle ?? null) : null,
          })),
        },
      },
      include: contactInclude,
    });
    return toContact(created);
  }

  // The first banner that brought a citizen is the one that counts.
  if (identity.sourceCode) {
    await tx.contact.updateMany({
      where: { id: contactId, sourceCode: null },
      data: { sourceCode: identity.sourceCode },
    });
  }
  if (identity.phone) {
    await tx.contact.updateMany({ where: { id: contactId, phone: null }, data: { phone: identity.phone } });
  }
  const contact = await tx.contact.findUniqueOrThrow({ where: { id: contactId }, include: contactInclude });
  return toContact(contact);
}

/**
 * Makes every id in `ids` an identity of one contact, locked: the contact of the first id that has
 * one (the primary id first), with the other ids' contacts merged into it. Returns null when none of
 * the ids is known yet.
 */
async function unifyIdentities(
  tx: Tx,
  channel: string,
  ids: string[],
  handle: string | null,
): Promise<string | null> {
  const known = await tx.contactIdentity.findMany({
    where: { channel, externalUserId: { in: ids } },
    select: { contactId: true, externalUserId: true },
  });
  if (!known.length) return null;
  const byId = new Map(known.map((row) => [row.externalUserId, row.contactId]));
  const keep = ids.map((id) => byId.get(id)).find((contactId) => contactId !== undefined) as string;
  // Lock in a fixed order, so two transactions merging the same pair cannot deadlock.
  const contactIds = [...new Set(known.map((row) => row.contactId))].sort();
  for (const contactId of contactIds)
    await tx.$queryRaw`SELECT id FROM "Contact" WHERE id = ${contactId} FOR UPDATE`;
  for (const drop of contactIds.filter((contactId) => contactId !== keep)) await mergeContact(tx, keep, drop);
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) {
    await tx.contactIdentity.createMany({
      data: missing.map((externalUserId) => ({
        id: randomUUID(),
        contactId: keep,
        channel,
        externalUserId,
        handle: externalUserId === ids[0] ? handle : null,
      })),
    });
  }
  return keep;
}

/** One citizen known as two contacts: the kept one takes the other's identities and tickets. */
async function mergeContact(tx: Tx, keep: string, drop: string): Promise<void> {
  await tx.contactIdentity.updateMany({ where: { contactId: drop }, data: { contactId: keep } });
  await tx.ticket.updateMany({ where: { contactId: drop }, data: { contactId: keep } });
  const dropped = await tx.contact.findUnique({
    where: { id: drop },
    select: { phone: true, sourceCode: true },
  });
  if (dropped?.phone)
    await tx.contact.updateMany({ where: { id: keep, phone: null }, data: { phone: dropped.phone } });
  if (dropped?.sourceCode) {
    await tx.contact.updateMany({
      where: { id: keep, sourceCode: null },
      data: { sourceCode: dropped.sourceCode },
    });
  }
  await tx.contact.delete({ where: { id: drop } });
}

function uniqueQueryable(ids: string[]): string[] {
  return [...new Set(ids.filter((id) => isQueryableText(id)))];
}

async function createTicket(tx: Tx, ticket: NewTicket): Promise<TicketRecord> {
  const row = await tx.ticket.create({
    data: {
      id: randomUUID(),
      number: ticket.number,
      channel: ticket.channel satisfies ChannelName,
      threadId: ticket.threadId,
      contactId: ticket.contactId,
      service: ticket.service,
      serviceDetected: ticket.service,
      sourceCode: ticket.sourceCode,
      firstResponseDueAt: ticket.firstResponseDueAt,
      slaWarnAt: ticket.slaWarnAt,
      createdAt: ticket.createdAt,
      lastMessageAt: ticket.createdAt,
      assigneeId: ticket.assigneeId ?? null,
    },
    include: ticketInclude,
  });
  await recordEvent(tx, 'ticket.created', row.id, { ticket: ticketSummary(row) });
  return toTicketRecord(row);
}

async function appendMessage(tx: Tx, message: NewMessage): Promise<Message> {
  const id = randomUUID();
  const row = await tx.message.create({
    data: {
      id,
      ticketId: message.ticketId,
      channel: message.channel,
      direction: message.direction,
      text: message.text,
      externalId: message.externalId ?? null,
      authorId: message.authorId ?? null,
      automated: message.automated ?? false,
      deliveryStatus: message.deliveryStatus ?? null,
      createdAt: message.createdAt,
      ...(message.extra ? { extra: message.extra as Prisma.InputJsonObject } : {}),
      attachments: {
        create: (message.attachments ?? []).map((attachment, position) => ({
          id: randomUUID(),
          position,
          kind: attachment.kind,
          mime: attachment.mime,
          name: attachment.name,
          size: attachment.size,
          storageKey: attachment.storageKey,
          error: attachment.error,
          createdAt: message.createdAt,
        })),
      },
    },
    include: messageInclude,
  });
  await recordEvent(tx, 'message.created', message.ticketId, messageCreatedPayload({ ...message, id }));
  return toMessage(row);
}
