import { createRoute, z } from '@hono/zod-openapi';
import { USER_ROLES } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { userJson, userSchema } from '../schemas.ts';
import { generateToken, hashToken } from '../tokens.ts';

const createUserBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    email: z.string().trim().toLowerCase().email().max(200),
    role: z.enum(USER_ROLES),
  })
  .strict();

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

export function registerAdminUserRoutes(app: LoketApp, deps: ApiDeps): void {
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
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'P2002' || code === '23505' || code === 'USER_EXISTS';
}
