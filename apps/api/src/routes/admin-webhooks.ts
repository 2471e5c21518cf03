import { randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { EVENT_TYPES, type EventLog, type WebhookEndpoint, type WebhookEndpointStore } from '@loket/core';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { idParam } from '../schemas.ts';

const webhookUrl = z
  .string()
  .trim()
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be an absolute http(s) URL' });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: 'must use http or https' });
    }
    // Credentials in the URL would be shown in every list and logged by proxies; the signature
    // is how a receiver knows the call is ours.
    if (url.username || url.password) {
      ctx.addIssue({ code: 'custom', message: 'must not carry a user name or password' });
    }
  })
  .openapi({ example: 'https://sistem.example.go.id/loket-events' });

const eventTypes = z
  .array(z.enum(EVENT_TYPES))
  .max(EVENT_TYPES.length)
  .transform((types) => [...new Set(types)])
  .openapi({ description: 'The event types to send; empty (the default) sends all of them.' });

const description = z.string().trim().max(500).nullable();

const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    active: z.boolean(),
    description: z.string().nullable(),
    lastEventId: z.string().openapi({ description: 'The last event handled (delivered or not wanted).' }),
    failures: z.number().int().openapi({ description: 'Failed attempts in a row; a delivery resets it.' }),
    nextAttemptAt: z.string().datetime().nullable().openapi({
      description:
        'Nothing is sent before this time: the end of the backoff after a failure, or of the lease while a delivery is in flight.',
    }),
    lastError: z.string().nullable().openapi({ example: 'HTTP 503 Service Unavailable' }),
    lastDeliveredAt: z.string().datetime().nullable(),
    failingSince: z.string().datetime().nullable().openapi({
      description: 'The first failure since the last delivery; null while deliveries go through.',
    }),
    disabledAt: z.string().datetime().nullable().openapi({
      description:
        'When Loket switched the endpoint off itself, after it failed for too long (3 days by default). Switching it back on clears it and resumes from lastEventId.',
    }),
    disabledReason: z.string().nullable().openapi({
      example: 'no delivery for 3 days; last error: HTTP 503 Service Unavailable',
    }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('WebhookEndpoint');

const withSecret = z.object({
  endpoint: webhookSchema,
  secret: z.string().openapi({
    description: 'The signing secret, shown only now: store it to check X-Loket-Signature.',
    example: 'whsec_…',
  }),
});

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const listWebhooks = createRoute({
  method: 'get',
  path: '/v1/admin/webhooks',
  tags: ['admin'],
  summary: 'Outgoing webhooks and how their delivery stands (secrets are never listed)',
  responses: {
    200: { description: 'The endpoints', content: json(z.object({ items: z.array(webhookSchema) })) },
    ...errorResponses(401, 403, 503),
  },
});

const createWebhook = createRoute({
  method: 'post',
  path: '/v1/admin/webhooks',
  tags: ['admin'],
  summary: 'Register a URL for signed events; it gets what happens from now on. The secret is shown once',
  request: {
    body: {
      content: json(
        z
          .object({ url: webhookUrl, events: eventTypes.default([]), description: description.optional() })
          .strict(),
      ),
      required: true,
    },
  },
  responses: {
    201: { description: 'The endpoint and its signing secret', content: json(withSecret) },
    ...errorResponses(400, 401, 403, 503),
  },
});

const getWebhook = createRoute({
  method: 'get',
  path: '/v1/admin/webhooks/{id}',
  tags: ['admin'],
  summary: 'One outgoing webhook',
  request: { params: idParam },
  responses: {
    200: { description: 'The endpoint', content: json(webhookSchema) },
    ...errorResponses(401, 403, 404, 503),
  },
});

const patchWebhook = createRoute({
  method: 'patch',
  path: '/v1/admin/webhooks/{id}',
  tags: ['admin'],
  summary:
    'Change an outgoing webhook; switching it back on (or a new URL) ends its backoff, and delivery resumes where it stopped',
  request: {
    params: idParam,
    body: {
      content: json(
        z
          .object({
            url: webhookUrl.optional(),
            events: eventTypes.optional(),
            active: z.boolean().optional(),
            description: description.optional(),
          })
          .strict(),
      ),
      required: true,
    },
  },
  responses: {
    200: { description: 'The endpoint', content: json(webhookSchema) },
    ...errorResponses(400, 401, 403, 404, 503),
  },
});

const deleteWebhook = createRoute({
  method: 'delete',
  path: '/v1/admin/webhooks/{id}',
  tags: ['admin'],
  summary: 'Remove an outgoing webhook; nothing more is sent to it',
  request: { params: idParam },
  responses: {
    204: { description: 'Removed' },
    ...errorResponses(401, 403, 404, 503),
  },
});

const rotateSecret = createRoute({
  method: 'post',
  path: '/v1/admin/webhooks/{id}/secret',
  tags: ['admin'],
  summary: 'Replace the signing secret: every delivery from now on is signed with the new one, shown once',
  request: { params: idParam },
  responses: {
    200: { description: 'The endpoint and its new signing secret', content: json(withSecret) },
    ...errorResponses(401, 403, 404, 503),
  },
});

function webhookJson(endpoint: WebhookEndpoint): z.infer<typeof webhookSchema> {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    active: endpoint.active,
    description: endpoint.description,
    lastEventId: endpoint.lastEventId,
    failures: endpoint.failures,
    nextAttemptAt: endpoint.nextAttemptAt?.toISOString() ?? null,
    lastError: endpoint.lastError,
    lastDeliveredAt: endpoint.lastDeliveredAt?.toISOString() ?? null,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

/** `whsec_` and 32 random bytes: the prefix makes a leaked secret easy to recognise in a scan. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** The URL without its query: enough for the audit trail, without tokens a query string may carry. */
function auditedUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

function storesOrThrow(deps: ApiDeps): { endpoints: WebhookEndpointStore; events: EventLog } {
  if (!deps.webhookEndpoints || !deps.events) {
    throw new ApiError('CHANNEL_UNAVAILABLE', 'outgoing webhooks are not available on this server');
  }
  return { endpoints: deps.webhookEndpoints, events: deps.events };
}

function found(endpoint: WebhookEndpoint | null): WebhookEndpoint {
  if (!endpoint) throw new ApiError('NOT_FOUND', 'there is no webhook with that id');
  return endpoint;
}

export function registerAdminWebhookRoutes(app: LoketApp, deps: ApiDeps): void {
  const audit = (actorId: string, action: string, id: string, meta?: Record<string, unknown>) =>
    deps.audit.record({ actorId, action, target: `webhook:${id}`, ...(meta ? { meta } : {}) });

  app.openapi(listWebhooks, async (c) => {
    const { endpoints } = storesOrThrow(deps);
    return c.json({ items: (await endpoints.list()).map(webhookJson) }, 200);
  });

  app.openapi(createWebhook, async (c) => {
    const { endpoints, events } = storesOrThrow(deps);
    const body = c.req.valid('json');
    const secret = newSecret();
    const endpoint = await endpoints.create({
      url: body.url,
      secret,
      events: body.events,
      description: body.description ?? null,
      lastEventId: await events.latestId(),
    });
    await audit(c.get('user').id, 'webhook.create', endpoint.id, {
      url: auditedUrl(endpoint.url),
      events: endpoint.events,
    });
    return c.json({ endpoint: webhookJson(endpoint), secret }, 201);
  });

  app.openapi(getWebhook, async (c) => {
    const { endpoints } = storesOrThrow(deps);
    return c.json(webhookJson(found(await endpoints.get(c.req.valid('param').id))), 200);
  });

  app.openapi(patchWebhook, async (c) => {
    const { endpoints } = storesOrThrow(deps);
    const { id } = c.req.valid('param');
    const change = c.req.valid('json');
    const endpoint = found(await endpoints.update(id, change));
    await audit(c.get('user').id, 'webhook.update', id, {
      changed: Object.keys(change),
      ...(change.url !== undefined ? { url: auditedUrl(endpoint.url) } : {}),
      ...(change.events !== undefined ? { events: endpoint.events } : {}),
      ...(change.active !== undefined ? { active: endpoint.active } : {}),
    });
    return c.json(webhookJson(endpoint), 200);
  });

  app.openapi(deleteWebhook, async (c) => {
    const { endpoints } = storesOrThrow(deps);
    const { id } = c.req.valid('param');
    if (!(await endpoints.delete(id))) found(null);
    await audit(c.get('user').id, 'webhook.delete', id);
    return c.body(null, 204);
  });

  app.openapi(rotateSecret, async (c) => {
    const { endpoints } = storesOrThrow(deps);
    const { id } = c.req.valid('param');
    const secret = newSecret();
    const endpoint = found(await endpoints.setSecret(id, secret));
    await audit(c.get('user').id, 'webhook.rotate_secret', id);
    return c.json({ endpoint: webhookJson(endpoint), secret }, 200);
  });
}
