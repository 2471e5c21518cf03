// Rows as Prisma returns them, turned into core's types. The casts narrow plain `String` columns
// (channel, attachment kind) to core's unions: only core's own values are ever written to them.
import type {
  AttachmentKind,
  ChannelName,
  Complaint,
  Contact,
  Message,
  MessageExtra,
  StoredAttachment,
  TicketRecord,
} from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import type { Prisma } from '../generated/prisma/client.ts';

export const ticketInclude = { contact: { select: { displayName: true } } } satisfies Prisma.TicketInclude;
export type TicketRow = Rows.Ticket & { contact: { displayName: string } };

export function toTicketRecord(row: TicketRow): TicketRecord {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    channel: row.channel as ChannelName,
    threadId: row.threadId,
    contactId: row.contactId,
    contactName: row.contact.displayName,
    service: row.service,
    serviceDetected: row.serviceDetected,
    priority: row.priority,
    assigneeId: row.assigneeId,
    sourceCode: row.sourceCode,
    firstResponseDueAt: row.firstResponseDueAt,
    slaWarnAt: row.slaWarnAt,
    firstRespondedAt: row.firstRespondedAt,
    slaBreachedAt: row.slaBreachedAt,
    afterHoursNoticeFor: row.afterHoursNoticeFor,
    createdAt: row.createdAt,
    lastMessageAt: row.lastMessageAt,
    lastInboundAt: row.lastInboundAt,
  };
}

export function toComplaint(row: Rows.Complaint): Complaint {
  return {
    id: row.id,
    number: row.number,
    ticketId: row.ticketId,
    reason: row.reason,
    status: row.status,
    stageDueAt: row.stageDueAt,
    escalatedAt: row.escalatedAt,
    resolution: row.resolution,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Attachments in the order the citizen sent them. */
export const messageInclude = {
  attachments: { orderBy: { position: 'asc' } },
} satisfies Prisma.MessageInclude;
export type MessageRow = Rows.Message & { attachments: Rows.Attachment[] };

function toAttachment(row: Rows.Attachment): StoredAttachment {
  return {
    id: row.id,
    kind: row.kind as AttachmentKind,
    mime: row.mime,
    name: row.name,
    size: row.size,
    storageKey: row.storageKey,
    error: row.error,
  };
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    ticketId: row.ticketId,
    direction: row.direction,
    text: row.text,
    attachments: row.attachments.map(toAttachment),
    authorId: row.authorId,
    automated: row.automated,
    createdAt: row.createdAt,
    deliveryStatus: row.deliveryStatus,
    error: row.error,
    externalId: row.externalId,
    sentAt: row.sentAt,
    extra: (row.extra as MessageExtra | null) ?? null,
  };
}

export const contactInclude = {
  identities: { orderBy: { createdAt: 'asc' } },
} satisfies Prisma.ContactInclude;
export type ContactRow = Rows.Contact & { identities: Rows.ContactIdentity[] };

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    displayName: row.displayName,
    phone: row.phone,
    sourceCode: row.sourceCode,
    identities: row.identities.map((identity) => ({
      channel: identity.channel as ChannelName,
      externalUserId: identity.externalUserId,
      handle: identity.handle,
    })),
  };
}

/**
 * Postgres text cannot hold NUL, so a lookup by a string containing one would throw instead of finding
 * nothing. Ids come from URLs, and a malformed id must read as "not found".
 */
export function isQueryableText(value: string): boolean {
  return !value.includes('\u0000');
}
