import { createRoute, z } from '@hono/zod-openapi';
import { CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES, toTicketView } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam, ticketJson, ticketSchema } from '../schemas.ts';

const listQuery = z.object({
  status: z.enum(TICKET_STATUSES).optional(),
  channel: z.enum(CHANNELS).optional(),
  service: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{1,39}$/)
    .optional(),
  assignee: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: 'A user id, `me` for your own tickets, or `none` for unassigned' }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({
      description:
        'Ticket number, contact name, phone (any form: 0812…, +62 812…), handle or user id on the ' +
        "channel, or words from the conversation (not Loket's automatic texts). Ignores case; % and _ " +
        'are taken literally.',
    }),
  slaState: z
    .enum(['on_track', 'warning', 'breached', 'met'])
    .optional()
    .openapi({ description: 'The SLA state now, as each ticket shows it' }),
  overdue: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .openapi({ description: '`true`: open or pending tickets still unanswered after their due time' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(500).optional(),
});

const listTickets = createRoute({
  method: 'get',
  path: '/v1/tickets',
  tags: ['tickets'],
  summary: 'The inbox: tickets, newest activity first',
  request: { query: listQuery },
  responses: {
    200: {
      description: 'A page of tickets',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(ticketSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ...errorResponses(400, 401),
  },
});

const getTicket = createRoute({
  method: 'get',
  path: '/v1/tickets/{id}',
  tags: ['tickets'],
  summary: 'One ticket',
  request: { params: idParam },
  responses: {
    200: { description: 'The ticket', content: { 'application/json': { schema: ticketSchema } } },
    ...errorResponses(401, 404),
  },
});

const patchBody = z
  .object({
    status: z.enum(TICKET_STATUSES).optional(),
    assigneeId: z.string().min(1).max(200).nullable().optional(),
    service: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'an upper-case service code')
      .optional(),
    priority: z.enum(TICKET_PRIORITIES).optional(),
  })
  .strict();

const patchTicket = createRoute({
  method: 'patch',
  path: '/v1/tickets/{id}',
  tags: ['tickets'],
  summary: 'Change status, assignee, service or priority',
  description:
    'Any staff member may assign a ticket to any active user (themselves included) or unassign it ' +
    'with `assigneeId: null`; each change of assignee is audited as `ticket.assign`.',
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: patchBody } }, required: true },
  },
  responses: {
    200: { description: 'The changed ticket', content: { 'application/json': { schema: ticketSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

export function registerTicketRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listTickets, async (c) => {
    const { assignee, overdue, ...query } = c.req.valid('query');
    const now = deps.clock.now();
    const page = await deps.tickets.listTickets(
      {
        ...query,
        ...(assignee ? { assignee: assignee === 'me' ? c.get('user').id : assignee } : {}),
        ...(overdue ? { overdue } : {}),
      },
      now,
    );
    return c.json(
      {
        items: page.items.map((t) => ticketJson(toTicketView(t, now, deps.replyWindows))),
        nextCursor: page.nextCursor,
      },
      200,
    );
  });

  app.openapi(getTicket, async (c) => {
    const ticket = await deps.tickets.getTicket(c.req.valid('param').id);
    if (!ticket) throw new ApiError('TICKET_NOT_FOUND', 'no ticket with that id');
    return c.json(ticketJson(toTicketView(ticket, deps.clock.now(), deps.replyWindows)), 200);
  });

  app.openapi(patchTicket, async (c) => {
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    if (change.assigneeId) {
      const assignee = await deps.users.findById(change.assigneeId);
      if (!assignee?.active) {
        throw new ApiError('VALIDATION_FAILED', 'the request is not valid', {
          issues: [{ path: 'assigneeId', message: 'no active user with that id' }],
        });
      }
    }
    const before = await deps.tickets.getTicket(id);
    if (!before) throw new ApiError('TICKET_NOT_FOUND', 'no ticket with that id');
    const ticket = await deps.tickets.updateTicket(id, change);
    if (!ticket) throw new ApiError('TICKET_NOT_FOUND', 'no ticket with that id');
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'ticket.update',
      target: `ticket:${id}`,
      meta: {
        change,
        before: { status: before.status, assigneeId: before.assigneeId, service: before.service },
      },
    });
    if (ticket.assigneeId !== before.assigneeId) {
      // Its own entry, so "who gave this ticket to whom" is one filter away.
      await deps.audit.record({
        actorId: c.get('user').id,
        action: 'ticket.assign',
        target: `ticket:${id}`,
        meta: { assigneeId: ticket.assigneeId, previousAssigneeId: before.assigneeId },
      });
    }
    return c.json(ticketJson(toTicketView(ticket, deps.clock.now(), deps.replyWindows)), 200);
  });
}
