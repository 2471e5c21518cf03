import { createRoute, z } from '@hono/zod-openapi';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { errorResponses } from '../errors.ts';

const auditEntrySchema = z
  .object({
    id: z.string(),
    actorId: z.string().nullable().openapi({ description: 'The staff member; null for Loket itself' }),
    action: z.string().openapi({ example: 'ticket.messages.read' }),
    target: z.string().openapi({ example: 'ticket:3f1c…' }),
    at: z.string().datetime(),
    meta: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'Ids, counts and states; never message text, NIK or tokens' }),
  })
  .openapi('AuditEntry');

const instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .openapi({ type: 'string', format: 'date-time' });

const auditQuery = z
  .object({
    actorId: z.string().min(1).max(200).optional().openapi({ description: 'The user id who acted' }),
    action: z
      .string()
      .max(100)
      .regex(/^[a-z][a-z0-9_.-]*$/, 'an action such as ticket.reply, or a prefix ending in a dot: ticket.')
      .optional()
      .openapi({ description: 'An action (`ticket.reply`), or a prefix ending in a dot (`ticket.`)' }),
    target: z
      .string()
      .min(1)
      .max(300)
      .optional()
      .openapi({ description: '`ticket:<id>`, `contact:<id>`, `attachment:<id>`, `user:<id>`…' }),
    from: instant.optional().openapi({ description: 'From this time on (inclusive), ISO 8601' }),
    to: instant.optional().openapi({ description: 'Before this time (exclusive), ISO 8601' }),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(500).optional(),
  })
  // Runs even when `from` or `to` failed to parse (zod 4): only compare what are dates.
  .refine((query) => !(query.from instanceof Date) || !(query.to instanceof Date) || query.from <= query.to, {
    message: '`from` must not be after `to`',
    path: ['from'],
  });

const listAudit = createRoute({
  method: 'get',
  path: '/v1/admin/audit',
  tags: ['admin'],
  summary: 'Who did what, newest first, with filters',
  description:
    'Staff reads of conversations, attachments and contacts, replies, notes, ticket changes, ' +
    'settings, channels, users, exports, anonymisations, and what Loket did by itself (SLA, ' +
    'retention). Filters combine; the cursor stays stable while new entries arrive.',
  request: { query: auditQuery },
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
