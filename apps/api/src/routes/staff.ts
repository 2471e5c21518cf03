import { createRoute, z } from '@hono/zod-openapi';
import { USER_ROLES } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { errorResponses } from '../errors.ts';

const staffMemberSchema = z
  .object({ id: z.string(), name: z.string(), role: z.enum(USER_ROLES) })
  .openapi('StaffMember');

const listStaff = createRoute({
  method: 'get',
  path: '/v1/staff',
  tags: ['tickets'],
  summary: 'Active staff, by name: whom a ticket can be assigned to',
  description: 'For any staff member; only ids, names and roles (the admin list has the rest).',
  responses: {
    200: {
      description: 'Active staff',
      content: { 'application/json': { schema: z.object({ items: z.array(staffMemberSchema) }) } },
    },
    ...errorResponses(401),
  },
});

export function registerStaffRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listStaff, async (c) => {
    const users = await deps.users.list({ active: true });
    return c.json({ items: users.map(({ id, name, role }) => ({ id, name, role })) }, 200);
  });
}
