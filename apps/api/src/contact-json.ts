// The JSON of citizens' data rights: contacts, the full export, and an anonymisation's outcome.
import { z } from '@hono/zod-openapi';
import {
  type AnonymisationOutcome,
  CHANNELS,
  COMPLAINT_REASONS,
  COMPLAINT_STATUSES,
  type ContactExport,
  type ContactRecord,
  type Message,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from '@loket/core';
import { messageJson, messageSchema } from './schemas.ts';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const contactSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    phone: z.string().nullable(),
    sourceCode: z
      .string()
      .nullable()
      .openapi({ description: 'The kelurahan banner that brought the citizen' }),
    anonymizedAt: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: "When an admin erased the citizen's personal data" }),
    createdAt: z.string().datetime(),
    identities: z.array(
      z.object({
        channel: z.enum(CHANNELS),
        externalUserId: z.string(),
        handle: z.string().nullable(),
        createdAt: z.string().datetime(),
      }),
    ),
    ticketCount: z.number().int(),
  })
  .openapi('Contact');

export function contactJson(contact: ContactRecord): z.infer<typeof contactSchema> {
  return {
    ...contact,
    anonymizedAt: iso(contact.anonymizedAt),
    createdAt: contact.createdAt.toISOString(),
    identities: contact.identities.map((identity) => ({
      ...identity,
      createdAt: identity.createdAt.toISOString(),
    })),
  };
}

const exportedMessageSchema = messageSchema
  .extend({
    externalId: z.string().nullable(),
    attachments: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        mime: z.string(),
        name: z.string().nullable(),
        size: z.number().int(),
        available: z.boolean(),
        error: z.string().nullable(),
        downloadPath: z
          .string()
          .nullable()
          .openapi({ description: 'GET it with a staff token; null when the file is not kept' }),
      }),
    ),
  })
  .openapi('ExportedMessage');

const exportedComplaintSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    reason: z.enum(COMPLAINT_REASONS),
    status: z.enum(COMPLAINT_STATUSES),
    stageDueAt: z.string().datetime().nullable(),
    escalatedAt: z.string().datetime().nullable(),
    resolution: z.string().nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    events: z.array(
      z.object({
        id: z.string(),
        fromStatus: z.enum(COMPLAINT_STATUSES).nullable(),
        toStatus: z.enum(COMPLAINT_STATUSES),
        actorId: z.string().nullable(),
        note: z.string().nullable(),
        at: z.string().datetime(),
      }),
    ),
  })
  .openapi('ExportedComplaint');

const exportedTicketSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(TICKET_STATUSES),
    channel: z.enum(CHANNELS),
    threadId: z.string(),
    service: z.string(),
    serviceDetected: z.string(),
    priority: z.enum(TICKET_PRIORITIES),
    assigneeId: z.string().nullable(),
    sourceCode: z.string().nullable(),
    createdAt: z.string().datetime(),
    lastMessageAt: z.string().datetime(),
    lastInboundAt: z.string().datetime().nullable(),
    firstResponseDueAt: z.string().datetime(),
    firstRespondedAt: z.string().datetime().nullable(),
    slaBreachedAt: z.string().datetime().nullable(),
    messages: z.array(exportedMessageSchema),
    complaints: z.array(exportedComplaintSchema),
  })
  .openapi('ExportedTicket');

export const contactExportSchema = z
  .object({
    exportedAt: z.string().datetime(),
    contact: contactSchema,
    tickets: z.array(exportedTicketSchema),
  })
  .openapi('ContactExport');

function exportedMessageJson(message: Message): z.infer<typeof exportedMessageSchema> {
  return {
    ...messageJson(message),
    externalId: message.externalId,
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      kind: attachment.kind,
      mime: attachment.mime,
      name: attachment.name,
      size: attachment.size,
      available: attachment.storageKey !== null,
      error: attachment.error,
      downloadPath: attachment.storageKey ? `/v1/attachments/${encodeURIComponent(attachment.id)}` : null,
    })),
  };
}

export function contactExportJson(
  data: ContactExport,
  exportedAt: Date,
): z.infer<typeof contactExportSchema> {
  return {
    exportedAt: exportedAt.toISOString(),
    contact: contactJson(data.contact),
    tickets: data.tickets.map((ticket) => ({
      id: ticket.id,
      number: ticket.number,
      status: ticket.status,
      channel: ticket.channel,
      threadId: ticket.threadId,
      service: ticket.service,
      serviceDetected: ticket.serviceDetected,
      priority: ticket.priority,
      assigneeId: ticket.assigneeId,
      sourceCode: ticket.sourceCode,
      createdAt: ticket.createdAt.toISOString(),
      lastMessageAt: ticket.lastMessageAt.toISOString(),
      lastInboundAt: iso(ticket.lastInboundAt),
      firstResponseDueAt: ticket.firstResponseDueAt.toISOString(),
      firstRespondedAt: iso(ticket.firstRespondedAt),
      slaBreachedAt: iso(ticket.slaBreachedAt),
      messages: ticket.messages.map(exportedMessageJson),
      complaints: ticket.complaints.map((complaint) => ({
        id: complaint.id,
        number: complaint.number,
        reason: complaint.reason,
        status: complaint.status,
        stageDueAt: iso(complaint.stageDueAt),
        escalatedAt: iso(complaint.escalatedAt),
        resolution: complaint.resolution,
        createdAt: complaint.createdAt.toISOString(),
        updatedAt: complaint.updatedAt.toISOString(),
        events: complaint.events.map((event) => ({ ...event, at: event.at.toISOString() })),
      })),
    })),
  };
}

export const anonymisationSchema = z
  .object({
    contactId: z.string(),
    anonymizedAt: z
      .string()
      .datetime()
      .openapi({ description: 'The first anonymisation; later calls keep it' }),
    alreadyAnonymized: z.boolean().openapi({ description: 'True when an earlier call had anonymised it' }),
    ticketsKept: z.number().int(),
    ticketsClosed: z.number().int().openapi({ description: 'Open or pending tickets, closed now' }),
    messagesErased: z.number().int(),
    attachmentsErased: z.number().int(),
    complaintsCleared: z.number().int(),
    filesDeleted: z
      .number()
      .int()
      .openapi({ description: 'Files deleted; a file another attachment still uses is kept' }),
  })
  .openapi('Anonymisation');

export function anonymisationJson(outcome: AnonymisationOutcome): z.infer<typeof anonymisationSchema> {
  return { ...outcome, anonymizedAt: outcome.anonymizedAt.toISOString() };
}
