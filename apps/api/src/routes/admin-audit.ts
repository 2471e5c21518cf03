import { createRoute, z } from '@hono/zod-openapi';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { errorResponses } from '../errors.ts';

const auditEntrySchema = z
  .object({
    id: z.string(),
    actorId: z.string().nullable(),
    action: z.string().openapi({ example: 'ticket.messages.read' }),
    target: z.string().openapi({ example: 'ticket:3f1c…' }),
    at: z.string().datetime(),
  })
  .openapi('AuditEntry');

const listAudit = createRoute({
  method: 'get',
  path: '/v1/admin/audit',
  tags: ['admin'],
  summary: 'Who did what, newest first',
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of audit entries',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

export function registerAdminAuditRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listAudit, async (c) => {
    const page = await deps.audit.list(c.req.valid('query'));
    return c.json(
      {
        items: page.items.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
        nextCursor: page.nextCursor,
      },
      200,
    );
  });
}
