import { createRoute, z } from '@hono/zod-openapi';
import type { LoketApp } from '../app.ts';

const health = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['system'],
  summary: 'Liveness',
  responses: {
    200: {
      description: 'Up',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

export function registerHealthRoutes(app: LoketApp): void {
  app.openapi(health, (c) => c.json({ status: 'ok' as const }, 200));
}
