import { z } from '@hono/zod-openapi';
import {
  CHANNELS,
  DELIVERY_STATUSES,
  type Message,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  type Ticket,
  USER_ROLES,
  type User,
} from '@loket/core';

export const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

export const ticketSchema = z
  .object({
    id: z.string(),
    number: z.string().openapi({ example: 'DPK-2026-000123' }),
    status: z.enum(TICKET_STATUSES),
    channel: z.enum(CHANNELS),
    service: z.string().openapi({ example: 'AKTA_KELAHIRAN' }),
    priority: z.enum(TICKET_PRIORITIES),
    contact: z.object({ id: z.string(), displayName: z.string() }),
    assigneeId: z.string().nullable(),
    slaState: z.enum(['on_track', 'warning', 'breached', 'met']),
    firstResponseDueAt: z.string().datetime(),
    firstRespondedAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    lastMessageAt: z.string().datetime(),
    replyWindowEndsAt: z.string().datetime().nullable().openapi({
      description:
        "WhatsApp Cloud and Instagram (Graph) accept free-form replies only until this time (24 h after the citizen's last message; 7 days on Instagram with the HUMAN_AGENT tag). Null on channels without such a window.",
    }),
  })
  .openapi('Ticket');

export const attachmentSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    mime: z.string(),
    name: z.string().nullable(),
    size: z.number().int(),
    available: z.boolean(),
    error: z.string().nullable(),
  })
  .openapi('Attachment');

export const messageSchema = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    direction: z.enum(['inbound', 'outbound', 'note', 'system']),
    text: z.string(),
    attachments: z.array(attachmentSchema),
    authorId: z.string().nullable(),
    automated: z.boolean(),
    createdAt: z.string().datetime(),
    deliveryStatus: z.enum(DELIVERY_STATUSES).nullable(),
    sentAt: z.string().datetime().nullable(),
    error: z.string().nullable(),
    location: z
      .object({
        latitude: z.number(),
        longitude: z.number(),
        title: z.string().optional(),
        address: z.string().optional(),
      })
      .optional(),
    contacts: z.array(z.object({ name: z.string(), phone: z.string().optional() })).optional(),
  })
  .openapi('Message');

export const userSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(USER_ROLES),
    active: z.boolean(),
    createdAt: z.string().datetime(),
  })
  .openapi('User');

export const channelSchema = z
  .object({
    channel: z.enum(CHANNELS),
    enabled: z.boolean(),
    status: z.string().openapi({ example: 'connected' }),
    detail: z.string().nullable(),
    configured: z
      .boolean()
      .openapi({ description: 'Whether the credentials it needs are set in the environment' }),
  })
  .openapi('Channel');

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function ticketJson(ticket: Ticket): z.infer<typeof ticketSchema> {
  return {
    ...ticket,
    firstResponseDueAt: ticket.firstResponseDueAt.toISOString(),
    firstRespondedAt: iso(ticket.firstRespondedAt),
    createdAt: ticket.createdAt.toISOString(),
    lastMessageAt: ticket.lastMessageAt.toISOString(),
    replyWindowEndsAt: iso(ticket.replyWindowEndsAt),
  };
}

export function messageJson(message: Message): z.infer<typeof messageSchema> {
  return {
    id: message.id,
    ticketId: message.ticketId,
    direction: message.direction,
    text: message.text,
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      kind: attachment.kind,
      mime: attachment.mime,
      name: attachment.name,
      size: attachment.size,
      available: attachment.storageKey !== null,
      error: attachment.error,
    })),
    authorId: message.authorId,
    automated: message.automated,
    createdAt: message.createdAt.toISOString(),
    deliveryStatus: message.deliveryStatus,
    sentAt: iso(message.sentAt),
    error: message.error,
    ...(message.extra?.location ? { location: message.extra.location } : {}),
    ...(message.extra?.contacts ? { contacts: message.extra.contacts } : {}),
  };
}

export function userJson(user: User): z.infer<typeof userSchema> {
  return { ...user, createdAt: user.createdAt.toISOString() };
}
