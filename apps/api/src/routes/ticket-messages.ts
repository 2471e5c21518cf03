import { createRoute, z } from '@hono/zod-openapi';
import { addNote, type NewAttachment, replyToTicket, type User } from '@loket/core';
import type { LoketApp } from '../app.ts';
import { renderCannedForTicket } from '../canned-rendering.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam, messageJson, messageSchema } from '../schemas.ts';

const DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

// Telegram's limit is 4096 characters; the adapter splits longer replies, so allow a little more.
const textBody = z.object({ text: z.string().trim().min(1, 'the text is empty').max(10_000) }).strict();

/** No path separators (the name reaches chat apps and downloads) and no control characters. */
function isSafeFileName(name: string): boolean {
  return ![...name].some((char) => char === '/' || char === '\\' || char.charCodeAt(0) < 0x20);
}

const replyAttachment = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine(isSafeFileName, 'a file name without path separators or control characters')
      .openapi({ example: 'formulir-F1.01.pdf' }),
    mime: z
      .string()
      .max(100)
      .regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'a MIME type such as application/pdf')
      .openapi({ example: 'application/pdf' }),
    contentBase64: z
      .string()
      .min(1)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'standard base64'),
  })
  .strict();

const replyBody = z
  .object({
    text: z.string().trim().max(10_000).default(''),
    cannedResponseId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({
        description:
          'A canned response to send: when `text` is empty, the text is the canned response rendered ' +
          "for this ticket (as its preview shows). When `text` is given, it is sent as written (the officer's " +
          'edit of the preview) and the canned response is only noted in the audit log.',
      }),
    attachments: z.array(replyAttachment).max(5).optional().openapi({
      description:
        'Files sent after the text, together at most MAX_ATTACHMENT_BYTES. Instagram DMs cannot carry documents: there the citizen gets a text saying so, and the message shows it in `error`.',
    }),
  })
  .strict()
  .refine((body) => body.text.length > 0 || (body.attachments?.length ?? 0) > 0 || body.cannedResponseId, {
    message: 'the reply is empty: give a text, a canned response, attachments, or some of them',
    path: ['text'],
  });

const listMessages = createRoute({
  method: 'get',
  path: '/v1/tickets/{id}/messages',
  tags: ['tickets'],
  summary: "A ticket's conversation, oldest first (the read is audited)",
  request: { params: idParam },
  responses: {
    200: {
      description: 'The messages',
      content: { 'application/json': { schema: z.object({ items: z.array(messageSchema) }) } },
    },
    ...errorResponses(401, 404),
  },
});

const postReply = createRoute({
  method: 'post',
  path: '/v1/tickets/{id}/replies',
  tags: ['tickets'],
  summary: "Reply to the citizen on the ticket's own channel",
  description:
    'Stored and queued at once; the gateway delivers it and marks it `sent` (then `delivered` and ' +
    '`read` where the platform reports them) or `failed`. On WhatsApp Cloud and Instagram (Graph) a ' +
    "reply is possible only inside the platform's window after the citizen's last message (see the " +
    "ticket's `replyWindowEndsAt`); after it, 409 `REPLY_WINDOW_CLOSED`.",
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: replyBody } }, required: true },
  },
  responses: {
    202: { description: 'Queued for delivery', content: { 'application/json': { schema: messageSchema } } },
    ...errorResponses(400, 401, 404, 409, 413, 503),
  },
});

const postNote = createRoute({
  method: 'post',
  path: '/v1/tickets/{id}/notes',
  tags: ['tickets'],
  summary: 'An internal note for staff; never sent to the citizen',
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: textBody } }, required: true },
  },
  responses: {
    201: { description: 'The note', content: { 'application/json': { schema: messageSchema } } },
    ...errorResponses(400, 401, 404, 413),
  },
});

export function registerTicketMessageRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listMessages, async (c) => {
    const { id } = c.req.valid('param');
    const ticket = await deps.tickets.getTicket(id);
    if (!ticket) throw new ApiError('TICKET_NOT_FOUND', 'no ticket with that id');
    const messages = await deps.tickets.listMessages(id);
    // UU PDP: every staff read of a citizen's conversation is on record.
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'ticket.messages.read',
      target: `ticket:${id}`,
    });
    return c.json({ items: messages.map(messageJson) }, 200);
  });

  app.openapi(postReply, async (c) => {
    const { id } = c.req.valid('param');
    const user = c.get('user');
    const body = c.req.valid('json');
    await refuseWhileChannelOff(deps, id);
    const text = await replyText(deps, id, user, body);
    const message = await replyToTicket({
      store: deps.store,
      clock: deps.clock,
      ticketId: id,
      authorId: user.id,
      text,
      attachments: await keepAttachments(deps, body.attachments ?? []),
      replyWindows: deps.replyWindows,
    });
    await deps.audit.record({
      actorId: user.id,
      action: 'ticket.reply',
      target: `ticket:${id}`,
      ...(body.cannedResponseId ? { meta: { cannedResponseId: body.cannedResponseId } } : {}),
    });
    deps.onReplyQueued?.();
    return c.json(messageJson(message), 202);
  });

  app.openapi(postNote, async (c) => {
    const { id } = c.req.valid('param');
    const user = c.get('user');
    const note = await addNote({
      store: deps.store,
      clock: deps.clock,
      ticketId: id,
      authorId: user.id,
      text: c.req.valid('json').text,
    });
    await deps.audit.record({ actorId: user.id, action: 'ticket.note', target: `ticket:${id}` });
    return c.json(messageJson(note), 201);
  });
}

/** The reply's text: as written, or rendered from the canned response when no text was written. */
async function replyText(
  deps: ApiDeps,
  ticketId: string,
  officer: User,
  body: { text: string; cannedResponseId?: string | undefined },
): Promise<string> {
  if (!body.cannedResponseId) return body.text;
  const ticket = await deps.tickets.getTicket(ticketId);
  if (!ticket) throw new ApiError('TICKET_NOT_FOUND', `ticket ${ticketId} does not exist`);
  const rendered = await renderCannedForTicket(deps, body.cannedResponseId, ticket, officer);
  if (rendered === null) {
    throw new ApiError('VALIDATION_FAILED', 'the request is not valid', {
      issues: [{ path: 'cannedResponseId', message: 'no canned response with that id' }],
    });
  }
  return body.text || rendered;
}

/** Decodes and keeps an officer's files; over the size limit together → 413, before anything is kept. */
async function keepAttachments(
  deps: ApiDeps,
  attachments: z.infer<typeof replyAttachment>[],
): Promise<NewAttachment[]> {
  if (!attachments.length) return [];
  if (!deps.files) throw new ApiError('CONFLICT', 'this server does not keep files; send text only');
  const limit = deps.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES;
  const decoded = attachments.map((attachment) => ({
    ...attachment,
    bytes: new Uint8Array(Buffer.from(attachment.contentBase64, 'base64')),
  }));
  const total = decoded.reduce((sum, file) => sum + file.bytes.byteLength, 0);
  if (total > limit) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `the attachments are over ${limit} bytes together`);
  }
  const kept: NewAttachment[] = [];
  for (const file of decoded) {
    kept.push({
      kind: file.mime.toLowerCase().startsWith('image/') ? 'image' : 'document',
      mime: file.mime.toLowerCase(),
      name: file.name,
      size: file.bytes.byteLength,
      storageKey: await deps.files.put(file.bytes),
      error: null,
    });
  }
  return kept;
}

/**
 * A reply on a channel that is switched off would sit in the queue with nobody told: the officer
 * gets 503 instead, and replies queued before the switch stay queued until the channel is back.
 */
async function refuseWhileChannelOff(deps: ApiDeps, ticketId: string): Promise<void> {
  const ticket = await deps.tickets.getTicket(ticketId);
  if (!ticket || (await deps.channels.isEnabled(ticket.channel))) return;
  throw new ApiError(
    'CHANNEL_DISABLED',
    `${ticket.channel} is switched off, so this reply was not accepted. Replies queued earlier are kept ` +
      'and go out when an admin switches the channel back on.',
  );
}
