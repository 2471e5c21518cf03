import { createRoute, z } from '@hono/zod-openapi';
import {
  CHANNELS,
  COMPLAINT_REASONS,
  COMPLAINT_STATUSES,
  type ComplaintWithTicket,
  changeComplaintStage,
} from '@loket/core';
import type { LoketApp } from '../app.ts';
import { requireRole } from '../auth.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam } from '../schemas.ts';

const complaintSchema = z
  .object({
    id: z.string(),
    number: z.string().openapi({ example: 'ADU-2026-000001' }),
    ticketId: z.string(),
    ticketNumber: z.string(),
    channel: z.enum(CHANNELS),
    contactName: z.string(),
    reason: z.enum(COMPLAINT_REASONS),
    status: z.enum(COMPLAINT_STATUSES),
    stageDueAt: z.string().datetime().nullable(),
    overdue: z.boolean(),
    escalatedAt: z.string().datetime().nullable(),
    resolution: z.string().nullable(),
    createdAt: z.string().datetime(),
  })
  .openapi('Complaint');

function complaintJson(complaint: ComplaintWithTicket, now: Date): z.infer<typeof complaintSchema> {
  return {
    id: complaint.id,
    number: complaint.number,
    ticketId: complaint.ticketId,
    ticketNumber: complaint.ticketNumber,
    channel: complaint.channel as z.infer<typeof complaintSchema>['channel'],
    contactName: complaint.contactName,
    reason: complaint.reason,
    status: complaint.status,
    stageDueAt: complaint.stageDueAt?.toISOString() ?? null,
    overdue: complaint.stageDueAt !== null && complaint.stageDueAt.getTime() <= now.getTime(),
    escalatedAt: complaint.escalatedAt?.toISOString() ?? null,
    resolution: complaint.resolution,
    createdAt: complaint.createdAt.toISOString(),
  };
}

const listComplaints = createRoute({
  method: 'get',
  path: '/v1/complaints',
  tags: ['complaints'],
  summary: 'Complaints (pengaduan), newest first',
  request: {
    query: z.object({
      status: z.enum(COMPLAINT_STATUSES).optional(),
      overdue: z
        .enum(['true', 'false'])
        .optional()
        .transform((value) => (value === undefined ? undefined : value === 'true')),
      channel: z.enum(CHANNELS).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(25),
      cursor: z.string().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page of complaints',
      content: {
        'application/json': {
          schema: z.object({ items: z.array(complaintSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

const getComplaint = createRoute({
  method: 'get',
  path: '/v1/complaints/{id}',
  tags: ['complaints'],
  summary: 'One complaint',
  request: { params: idParam },
  responses: {
    200: { description: 'The complaint', content: { 'application/json': { schema: complaintSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

const patchComplaint = createRoute({
  method: 'patch',
  path: '/v1/complaints/{id}',
  tags: ['complaints'],
  summary: 'Move a complaint to its next stage; the citizen is told',
  description:
    'received → verified → in_follow_up → resolved | rejected (rejected from any open stage). Resolving or rejecting needs a `note` the citizen reads.',
  request: {
    params: idParam,
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              status: z.enum(COMPLAINT_STATUSES),
              note: z.string().trim().min(1).max(2000).optional(),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: {
    200: { description: 'The complaint', content: { 'application/json': { schema: complaintSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export function registerComplaintRoutes(app: LoketApp, deps: ApiDeps): void {
  app.use('/v1/complaints', requireRole('supervisor'));
  app.use('/v1/complaints/*', requireRole('supervisor'));

  app.openapi(listComplaints, async (c) => {
    const query = c.req.valid('query');
    const now = deps.clock.now();
    const page = await deps.complaints.listComplaints(
      {
        limit: query.limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.overdue !== undefined ? { overdue: query.overdue } : {}),
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      },
      now,
    );
    return c.json(
      { items: page.items.map((item) => complaintJson(item, now)), nextCursor: page.nextCursor },
      200,
    );
  });

  app.openapi(getComplaint, async (c) => {
    const complaint = await deps.complaints.getComplaint(c.req.valid('param').id);
    if (!complaint) throw new ApiError('COMPLAINT_NOT_FOUND', 'no complaint with that id');
    return c.json(complaintJson(complaint, deps.clock.now()), 200);
  });

  app.openapi(patchComplaint, async (c) => {
    const { id } = c.req.valid('param');
    const { status, note } = c.req.valid('json');
    if (!(await deps.complaints.getComplaint(id)))
      throw new ApiError('COMPLAINT_NOT_FOUND', 'no complaint with that id');
    await changeComplaintStage({
      store: deps.store,
      clock: deps.clock,
      context: await deps.complaintContext(),
      complaintId: id,
      to: status,
      note: note ?? null,
      actorId: c.get('user').id,
    });
    deps.onReplyQueued?.();
    const complaint = await deps.complaints.getComplaint(id);
    if (!complaint) throw new ApiError('COMPLAINT_NOT_FOUND', 'no complaint with that id');
    return c.json(complaintJson(complaint, deps.clock.now()), 200);
  });
}
