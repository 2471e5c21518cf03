import { createRoute, z } from '@hono/zod-openapi';
import {
  CANNED_PLACEHOLDERS,
  CANNED_SHORTCUT_PATTERN,
  type CannedResponse,
  type CannedResponseSaveResult,
  cannedBodyProblems,
  MAX_CANNED_BODY_LENGTH,
  MAX_CANNED_TITLE_LENGTH,
} from '@loket/core';
import type { LoketApp } from '../app.ts';
import { requireRole } from '../auth.ts';
import { renderCannedForTicket } from '../canned-rendering.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam } from '../schemas.ts';

const PLACEHOLDER_LIST = Object.entries(CANNED_PLACEHOLDERS)
  .map(([name, meaning]) => `\`{{${name}}}\` (${meaning})`)
  .join(', ');

const cannedResponseSchema = z
  .object({
    id: z.string(),
    shortcut: z.string().openapi({ example: 'syarat-akta' }),
    title: z.string().openapi({ example: 'Syarat akta kelahiran' }),
    body: z.string().openapi({ example: 'Halo {{nama}}, untuk tiket {{nomor_tiket}} silakan siapkan…' }),
    createdById: z.string().nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('CannedResponse');

const shortcut = z
  .string()
  .regex(CANNED_SHORTCUT_PATTERN, '2 to 40 lower-case letters, digits or dashes, not starting with a dash');
const title = z.string().trim().min(1).max(MAX_CANNED_TITLE_LENGTH);
const body = z
  .string()
  .trim()
  .min(1)
  .max(MAX_CANNED_BODY_LENGTH)
  .superRefine((text, ctx) => {
    for (const message of cannedBodyProblems(text)) ctx.addIssue({ code: 'custom', message });
  })
  .openapi({ description: `Placeholders: ${PLACEHOLDER_LIST}. Any other \`{{…}}\` is refused.` });

const createBody = z.object({ shortcut, title, body }).strict();
const patchBody = z
  .object({ shortcut: shortcut.optional(), title: title.optional(), body: body.optional() })
  .strict()
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: 'give at least one field to change',
  });

const itemResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: cannedResponseSchema } },
});
// Reading is for all staff; writing for supervisors and admins.
const writers = requireRole('supervisor');

const listCanned = createRoute({
  method: 'get',
  path: '/v1/canned-responses',
  tags: ['canned responses'],
  summary: 'Canned responses, by shortcut',
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(200).optional().openapi({
        description: 'Matches the shortcut, title or body, ignoring case',
      }),
    }),
  },
  responses: {
    200: {
      description: 'The canned responses',
      content: { 'application/json': { schema: z.object({ items: z.array(cannedResponseSchema) }) } },
    },
    ...errorResponses(400, 401),
  },
});

const getCanned = createRoute({
  method: 'get',
  path: '/v1/canned-responses/{id}',
  tags: ['canned responses'],
  summary: 'One canned response',
  request: { params: idParam },
  responses: { 200: itemResponse('The canned response'), ...errorResponses(401, 404) },
});

const previewCanned = createRoute({
  method: 'get',
  path: '/v1/canned-responses/{id}/preview',
  tags: ['canned responses'],
  summary: 'The text a reply with this canned response would send on a ticket',
  request: {
    params: idParam,
    query: z.object({ ticketId: z.string().min(1).max(200) }),
  },
  responses: {
    200: {
      description: 'The rendered text',
      content: { 'application/json': { schema: z.object({ text: z.string() }) } },
    },
    ...errorResponses(400, 401, 404),
  },
});

const createCanned = createRoute({
  method: 'post',
  path: '/v1/canned-responses',
  tags: ['canned responses'],
  summary: 'Add a canned response (supervisor, admin)',
  middleware: writers,
  request: { body: { content: { 'application/json': { schema: createBody } }, required: true } },
  responses: { 201: itemResponse('The canned response'), ...errorResponses(400, 401, 403, 409) },
});

const patchCanned = createRoute({
  method: 'patch',
  path: '/v1/canned-responses/{id}',
  tags: ['canned responses'],
  summary: 'Change a canned response (supervisor, admin)',
  middleware: writers,
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: patchBody } }, required: true },
  },
  responses: { 200: itemResponse('The changed canned response'), ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteCanned = createRoute({
  method: 'delete',
  path: '/v1/canned-responses/{id}',
  tags: ['canned responses'],
  summary: 'Delete a canned response (supervisor, admin)',
  middleware: writers,
  request: { params: idParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
});

export function registerCannedResponseRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listCanned, async (c) => {
    const { q } = c.req.valid('query');
    const items = await deps.cannedResponses.list(q ? { q } : {});
    return c.json({ items: items.map(cannedJson) }, 200);
  });

  app.openapi(getCanned, async (c) => {
    const canned = await deps.cannedResponses.get(c.req.valid('param').id);
    if (!canned) throw notFound();
    return c.json(cannedJson(canned), 200);
  });

  app.openapi(previewCanned, async (c) => {
    const { id } = c.req.valid('param');
    const ticket = await deps.tickets.getTicket(c.req.valid('query').ticketId);
    if (!ticket) throw new ApiError('TICKET_NOT_FOUND', 'no ticket with that id');
    const text = await renderCannedForTicket(deps, id, ticket, c.get('user'));
    if (text === null) throw notFound();
    return c.json({ text }, 200);
  });

  app.openapi(createCanned, async (c) => {
    const input = c.req.valid('json');
    const canned = saved(await deps.cannedResponses.create({ ...input, createdById: c.get('user').id }));
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'canned.create',
      target: `canned:${canned.id}`,
      meta: { shortcut: canned.shortcut },
    });
    return c.json(cannedJson(canned), 201);
  });

  app.openapi(patchCanned, async (c) => {
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    const canned = saved(await deps.cannedResponses.update(id, change));
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'canned.update',
      target: `canned:${id}`,
      meta: { shortcut: canned.shortcut, fields: Object.keys(change) },
    });
    return c.json(cannedJson(canned), 200);
  });

  app.openapi(deleteCanned, async (c) => {
    const { id } = c.req.valid('param');
    const existing = await deps.cannedResponses.get(id);
    if (!existing || !(await deps.cannedResponses.delete(id))) throw notFound();
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'canned.delete',
      target: `canned:${id}`,
      meta: { shortcut: existing.shortcut },
    });
    return c.body(null, 204);
  });
}

function saved(result: CannedResponseSaveResult): CannedResponse {
  if (result.outcome === 'not_found') throw notFound();
  if (result.outcome === 'shortcut_taken') {
    throw new ApiError('SHORTCUT_EXISTS', 'another canned response has that shortcut');
  }
  return result.cannedResponse;
}

function notFound(): ApiError {
  return new ApiError('CANNED_RESPONSE_NOT_FOUND', 'no canned response with that id');
}

function cannedJson(canned: CannedResponse): z.infer<typeof cannedResponseSchema> {
  return {
    ...canned,
    createdAt: canned.createdAt.toISOString(),
    updatedAt: canned.updatedAt.toISOString(),
  };
}
