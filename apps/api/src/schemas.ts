import { z } from '@hono/zod-openapi';
import {
  CHANNELS,
  type ChannelView,
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
    autoAssign: z.boolean().openapi({ description: 'Round-robin may give this officer new tickets' }),
    services: z
      .array(z.string())
      .openapi({ description: 'Service codes round-robin gives this officer; empty: all of them' }),
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
    config: z.record(z.string(), z.unknown()).openapi({
      description: 'Runtime settings an admin saved; what is not set comes from the environment',
    }),
    statusSince: z.string().datetime().nullable(),
    connectedSince: z.string().datetime().nullable(),
    lastError: z
      .string()
      .nullable()
      .openapi({ description: 'The last problem reported, kept after recovery' }),
    runningOn: z
      .string()
      .nullable()
      .openapi({ description: 'The gateway that runs the channel now (host:pid), from its lease' }),
    lastHour: z
      .object({
        inbound: z.number().int(),
        sent: z.number().int(),
        failed: z.number().int(),
        queued: z.number().int().openapi({ description: 'Replies waiting now (not only this hour)' }),
      })
      .openapi({ description: 'Messages in, replies sent and failed in the last hour; replies queued now' }),
  })
  .openapi('Channel');

export function channelJson(view: ChannelView): z.infer<typeof channelSchema> {
  return {
    ...view,
    config: view.config as Record<string, unknown>,
    statusSince: view.statusSince?.toISOString() ?? null,
    connectedSince: view.connectedSince?.toISOString() ?? null,
  };
}

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
