import { createRoute, z } from '@hono/zod-openapi';
import { SERVICE_CODES, USER_ROLES, type User } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam, userJson, userSchema } from '../schemas.ts';
import { generateToken, hashToken } from '../tokens.ts';

const createUserBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    email: z.string().trim().toLowerCase().email().max(200),
    role: z.enum(USER_ROLES),
  })
  .strict();

const patchUserBody = z
  .object({
    name: createUserBody.shape.name.optional(),
    role: z.enum(USER_ROLES).optional(),
    active: z.boolean().optional().openapi({ description: 'false disables the user: their token gets 401' }),
    autoAssign: z.boolean().optional(),
    services: z
      .array(z.enum(SERVICE_CODES))
      .max(SERVICE_CODES.length)
      .transform((codes) => [...new Set(codes)])
      .optional()
      .openapi({ description: 'Services round-robin gives this officer; empty: all of them' }),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'give at least one field to change',
  });

const listUsers = createRoute({
  method: 'get',
  path: '/v1/admin/users',
  tags: ['admin'],
  summary: 'Staff, by name',
  request: {
    query: z.object({
      active: z
        .enum(['true', 'false'])
        .optional()
        .transform((value) => (value === undefined ? undefined : value === 'true')),
      role: z.enum(USER_ROLES).optional(),
    }),
  },
  responses: {
    200: {
      description: 'The users',
      content: { 'application/json': { schema: z.object({ items: z.array(userSchema) }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

const getUser = createRoute({
  method: 'get',
  path: '/v1/admin/users/{id}',
  tags: ['admin'],
  summary: 'One staff member',
  request: { params: idParam },
  responses: {
    200: { description: 'The user', content: { 'application/json': { schema: userSchema } } },
    ...errorResponses(401, 403, 404),
  },
});

const createUser = createRoute({
  method: 'post',
  path: '/v1/admin/users',
  tags: ['admin'],
  summary: 'Add a staff member; the token is shown once',
  request: { body: { content: { 'application/json': { schema: createUserBody } }, required: true } },
  responses: {
    201: {
      description: 'The user and their bearer token (store it now: only its hash is kept)',
      content: { 'application/json': { schema: z.object({ user: userSchema, token: z.string() }) } },
    },
    ...errorResponses(400, 401, 403, 409),
  },
});

const patchUser = createRoute({
  method: 'patch',
  path: '/v1/admin/users/{id}',
  tags: ['admin'],
  summary: 'Rename, change role, disable or enable, and set round-robin preferences',
  description:
    'A disabled user keeps their history but their token gets 401 everywhere. A change that would ' +
    'leave no active admin (disabling or demoting the last one) is refused with 409 `LAST_ADMIN`.',
  request: {
    params: idParam,
    body: { content: { 'application/json': { schema: patchUserBody } }, required: true },
  },
  responses: {
    200: { description: 'The changed user', content: { 'application/json': { schema: userSchema } } },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const rotateToken = createRoute({
  method: 'post',
  path: '/v1/admin/users/{id}/token',
  tags: ['admin'],
  summary: "Replace a user's token; the old one stops working at once",
  request: { params: idParam },
  responses: {
    200: {
      description: 'The user and their new bearer token (shown once: only its hash is kept)',
      content: { 'application/json': { schema: z.object({ user: userSchema, token: z.string() }) } },
    },
    ...errorResponses(401, 403, 404),
  },
});

export function registerAdminUserRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listUsers, async (c) => {
    const query = c.req.valid('query');
    const users = await deps.users.list({
      ...(query.active !== undefined ? { active: query.active } : {}),
      ...(query.role ? { role: query.role } : {}),
    });
    return c.json({ items: users.map(userJson) }, 200);
  });

  app.openapi(getUser, async (c) => {
    const user = await deps.users.findById(c.req.valid('param').id);
    if (!user) throw new ApiError('USER_NOT_FOUND', 'no user with that id');
    return c.json(userJson(user), 200);
  });

  app.openapi(createUser, async (c) => {
    const body = c.req.valid('json');
    const token = generateToken();
    const user = await deps.users.create({ ...body, tokenHash: hashToken(token) }).catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new ApiError('USER_EXISTS', 'a user with that email exists');
      throw error;
    });
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'user.create',
      target: `user:${user.id}`,
      meta: { role: user.role },
    });
    return c.json({ user: userJson(user), token }, 201);
  });

  app.openapi(patchUser, async (c) => {
    const { id } = c.req.valid('param');
    const result = await deps.users.update(id, c.req.valid('json'));
    if (result.outcome === 'not_found') throw new ApiError('USER_NOT_FOUND', 'no user with that id');
    if (result.outcome === 'last_admin') {
      throw new ApiError(
        'LAST_ADMIN',
        'this would leave the office without an active admin; make another user admin first',
      );
    }
    const changes = changedFields(result.before, result.user);
    if (Object.keys(changes).length) {
      await deps.audit.record({
        actorId: c.get('user').id,
        action: auditActionFor(result.before, result.user),
        target: `user:${id}`,
        meta: { changes },
      });
    }
    return c.json(userJson(result.user), 200);
  });

  app.openapi(rotateToken, async (c) => {
    const { id } = c.req.valid('param');
    const token = generateToken();
    const user = await deps.users.replaceToken(id, hashToken(token));
    if (!user) throw new ApiError('USER_NOT_FOUND', 'no user with that id');
    // The token itself never goes to the audit log, only that it changed.
    await deps.audit.record({ actorId: c.get('user').id, action: 'user.token.rotate', target: `user:${id}` });
    return c.json({ user: userJson(user), token }, 200);
  });
}

const AUDITED_FIELDS = ['name', 'role', 'active', 'autoAssign', 'services'] as const;
// The audit log keeps no names (personal data): a rename is recorded as a change without values.
const VALUES_KEPT = new Set<string>(['role', 'active', 'autoAssign', 'services']);

/** `{ role: { from: 'officer', to: 'supervisor' }, name: {} }` for the fields the change really moved. */
function changedFields(before: User, after: User): Record<string, { from?: unknown; to?: unknown }> {
  const changes: Record<string, { from?: unknown; to?: unknown }> = {};
  for (const field of AUDITED_FIELDS) {
    if (JSON.stringify(before[field]) === JSON.stringify(after[field])) continue;
    changes[field] = VALUES_KEPT.has(field) ? { from: before[field], to: after[field] } : {};
  }
  return changes;
}

/** Disabling and enabling get their own actions, so the audit filter finds them. */
function auditActionFor(before: User, after: User): string {
  if (before.active && !after.active) return 'user.disable';
  if (!before.active && after.active) return 'user.enable';
  return 'user.update';
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'P2002' || code === '23505' || code === 'USER_EXISTS';
}
