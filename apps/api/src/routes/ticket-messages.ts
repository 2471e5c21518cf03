import { createRoute, z } from '@hono/zod-openapi';
import { addNote, replyToTicket } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam, messageJson, messageSchema } from '../schemas.ts';

// Telegram's limit is 4096 characters; the adapter splits longer replies, so allow a little more.
const textBody = z.object({ text: z.string().trim().min(1, 'the text is empty').max(10_000) }).strict();

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
  description: 'Stored and queued at once; the gateway delivers it and marks it `sent` or `failed`.',
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: textBody } }, required: true },
  },
  responses: {
    202: { description: 'Queued for delivery', content: { 'application/json': { schema: messageSchema } } },
    ...errorResponses(400, 401, 404, 409, 413),
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
    const message = await replyToTicket({
      store: deps.store,
      clock: deps.clock,
      ticketId: id,
      authorId: user.id,
      text: c.req.valid('json').text,
    });
    await deps.audit.record({ actorId: user.id, action: 'ticket.reply', target: `ticket:${id}` });
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
