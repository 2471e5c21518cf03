import { createRoute, z } from '@hono/zod-openapi';
import {
  calendarRuleProblems,
  mergeOfficePolicy,
  officePolicyPatchSchema,
  officePolicySchema,
} from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses, issuesOf } from '../errors.ts';

// The policy schema lives in core (plain zod); it is used here as it is, without an OpenAPI component name.
const policySchema = officePolicySchema;

const getSettings = createRoute({
  method: 'get',
  path: '/v1/admin/settings',
  tags: ['admin'],
  summary: 'The office policy: time zone, service hours, holidays, SLA, services',
  responses: {
    200: { description: 'The policy', content: { 'application/json': { schema: policySchema } } },
    ...errorResponses(401, 403),
  },
});

const patchSettings = createRoute({
  method: 'patch',
  path: '/v1/admin/settings',
  tags: ['admin'],
  summary: 'Change part of the policy; the body is merged into the current one',
  request: {
    body: { content: { 'application/json': { schema: officePolicyPatchSchema } }, required: true },
  },
  responses: {
    200: { description: 'The new policy', content: { 'application/json': { schema: policySchema } } },
    ...errorResponses(400, 401, 403),
  },
});

export function registerAdminSettingsRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(getSettings, async (c) => c.json(await deps.settings.getPolicy(), 200));

  app.openapi(patchSettings, async (c) => {
    const patch = c.req.valid('json');
    const current = await deps.settings.getPolicy();
    let next: z.infer<typeof officePolicySchema>;
    try {
      next = mergeOfficePolicy(current, patch);
    } catch (error) {
      if (error instanceof z.ZodError) {
        throw new ApiError('VALIDATION_FAILED', 'the merged policy is not valid', {
          issues: issuesOf(error),
        });
      }
      throw error;
    }
    const calendarProblems = calendarRuleProblems(next);
    if (calendarProblems.length) {
      throw new ApiError('VALIDATION_FAILED', 'the service hours would never open', {
        issues: calendarProblems.map((message) => ({ path: 'serviceHours', message })),
      });
    }
    const saved = await deps.settings.savePolicy(next);
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'settings.update',
      target: 'settings:policy',
      meta: { patch },
    });
    return c.json(saved, 200);
  });
}
