import { timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';

const getMetrics = createRoute({
  method: 'get',
  path: '/metrics',
  tags: ['operations'],
  summary: 'Prometheus metrics of this process',
  description:
    'Inbound and outbound messages per channel, delivery latency, queue depth, SLA transitions and ' +
    'HTTP latency. Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
  responses: {
    200: {
      description: 'The metrics, in the Prometheus text format',
      content: { 'text/plain': { schema: z.string() } },
    },
    ...errorResponses(401),
  },
});

function tokenMatches(header: string | undefined, expected: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export function registerMetricsRoutes(app: LoketApp, deps: ApiDeps): void {
  const metrics = deps.metrics;
  if (!metrics) return;
  app.openapi(getMetrics, async (c) => {
    if (deps.metricsToken && !tokenMatches(c.req.header('authorization'), deps.metricsToken)) {
      throw new ApiError('UNAUTHORIZED', 'the metrics token is missing or wrong');
    }
    c.header('Content-Type', metrics.contentType);
    return c.text(await metrics.render(), 200);
  });
}
