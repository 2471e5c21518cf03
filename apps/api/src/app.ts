import { OpenAPIHono } from '@hono/zod-openapi';
import { DomainError } from '@loket/core';
import { isDatabaseUnavailable } from '@loket/db';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { routePath } from 'hono/route';
import { AuthFailureThrottle, authenticate, requireRole } from './auth.ts';
import type { ApiDeps, AppEnv } from './context.ts';
import { ApiError, type ErrorCode, issuesOf, STATUS_OF } from './errors.ts';
import { refuseNulCharacters } from './nul-guard.ts';
import { registerAdminAuditRoutes } from './routes/admin-audit.ts';
import { registerAdminBannerRoutes } from './routes/admin-banners.ts';
import { registerAdminChannelRoutes } from './routes/admin-channels.ts';
import { registerAdminContactRoutes } from './routes/admin-contacts.ts';
import { registerAdminSettingsRoutes } from './routes/admin-settings.ts';
import { registerAdminUserRoutes } from './routes/admin-users.ts';
import { registerAdminWebhookRoutes } from './routes/admin-webhooks.ts';
import { registerAdminWhatsAppRoutes } from './routes/admin-whatsapp.ts';
import { registerAttachmentRoutes } from './routes/attachments.ts';
import { registerCannedResponseRoutes } from './routes/canned-responses.ts';
import { registerComplaintRoutes } from './routes/complaints.ts';
import { registerDocsRoutes } from './routes/docs.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerMetricsRoutes } from './routes/metrics.ts';
import { registerReportRoutes } from './routes/reports.ts';
import { registerStaffRoutes } from './routes/staff.ts';
import { registerTicketMessageRoutes } from './routes/ticket-messages.ts';
import { registerTicketRoutes } from './routes/tickets.ts';
import { registerWebhookRoutes } from './routes/webhooks.ts';

export type LoketApp = OpenAPIHono<AppEnv>;

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
const REPLY_PATH = /^\/v1\/tickets\/[^/]+\/replies$/;
/** What a client is told to wait when the database is away (a PostgreSQL restart takes seconds). */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/** The HTTP API: inbox, replies, notes, admin, webhooks, `/openapi.json` and `/docs`. */
export function createApi(deps: ApiDeps): LoketApp {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError('VALIDATION_FAILED', 'the request is not valid', {
          issues: issuesOf(result.error),
        });
      }
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  const metrics = deps.metrics;
  if (metrics) {
    app.use('*', async (c, next) => {
      const started = performance.now();
      await next();
      // The route pattern, not the path: ids in paths would make a series per ticket.
      const route = routePath(c, -1);
      metrics.observeHttp(
        c.req.method,
        route.includes('*') ? 'unmatched' : route,
        c.res.status,
        (performance.now() - started) / 1000,
      );
    });
  }
  app.use('*', requestId({ headerName: 'X-Request-Id', limitLength: 100 }));
  const limitTo = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        // The rest of the body is never read: close the connection rather than leave it to be reused.
        throw new ApiError('PAYLOAD_TOO_LARGE', `the body is over ${maxSize} bytes`, {
          headers: { Connection: 'close' },
        });
      },
    });
  const generalLimit = limitTo(deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT);
  // A reply carries its files as base64: 4/3 of their size, plus room for the text and the JSON.
  const replyLimit = limitTo(
    Math.max(
      deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
      Math.ceil(((deps.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES) * 4) / 3) + 256 * 1024,
    ),
  );
  app.use('*', (c, next) => {
    // No GET or HEAD route reads a body, so none is limited: asking Hono's middleware whether there
    // is a body builds the whole Request (measured: 5% of the CPU of `GET /v1/tickets`).
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return REPLY_PATH.test(c.req.path) && c.req.method === 'POST'
      ? replyLimit(c, next)
      : generalLimit(c, next);
  });
  const throttle = new AuthFailureThrottle(
    deps.authFailureLimit ?? 20,
    deps.authFailureWindowMs ?? 5 * 60_000,
  );
  app.use('/v1/*', authenticate(deps.users, throttle));
  app.use('/v1/admin/*', requireRole('admin'));
  app.use('/v1/*', refuseNulCharacters());

  app.onError((error, c) => {
    const requestId = c.get('requestId') ?? 'unknown';
    const { code, message, issues, headers } = describeError(error);
    if (code === 'INTERNAL') {
      deps.logger.error({ err: error, requestId, path: c.req.path }, 'unexpected error in a request');
    } else if (code === 'DATABASE_UNAVAILABLE') {
      // Expected while PostgreSQL restarts: one line per request, without the stack.
      deps.logger.warn({ requestId, path: c.req.path }, 'database unavailable: answered 503');
    }
    for (const [name, value] of Object.entries(headers ?? {})) c.header(name, value);
    return c.json({ error: { code, message, requestId, ...(issues ? { issues } : {}) } }, STATUS_OF[code]);
  });
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: 'NOT_FOUND',
          message: `no route for ${c.req.method} ${c.req.path}`,
          requestId: c.get('requestId'),
        },
      },
      404,
    ),
  );

  registerHealthRoutes(app);
  if (deps.surface === 'gateway') {
    // A gateway process serves only what the platforms and Prometheus call: its adapters' webhooks.
    registerWebhookRoutes(app, deps);
    registerMetricsRoutes(app, deps);
    return app;
  }
  registerTicketRoutes(app, deps);
  registerTicketMessageRoutes(app, deps);
  registerAttachmentRoutes(app, deps);
  registerCannedResponseRoutes(app, deps);
  registerComplaintRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerAdminChannelRoutes(app, deps);
  registerAdminSettingsRoutes(app, deps);
  registerAdminUserRoutes(app, deps);
  registerAdminAuditRoutes(app, deps);
  registerAdminContactRoutes(app, deps);
  registerAdminWhatsAppRoutes(app, deps);
  registerAdminBannerRoutes(app, deps);
  registerAdminWebhookRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerStaffRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  registerDocsRoutes(app);
  return app;
}

type DescribedError = {
  code: ErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
  headers?: Record<string, string>;
};

function describeError(error: unknown): DescribedError {
  if (error instanceof ApiError) {
    return { code: error.code, message: error.message, issues: error.issues, headers: error.headers };
  }
  if (error instanceof DomainError) {
    const code: ErrorCode = error.code in STATUS_OF ? (error.code as ErrorCode) : 'CONFLICT';
    return { code, message: error.message };
  }
  if (error instanceof HTTPException) {
    // Hono's JSON validator throws 400 on a body that does not parse.
    if (error.status === 400) return { code: 'MALFORMED_JSON', message: 'the body is not valid JSON' };
    if (error.status === 413) return { code: 'PAYLOAD_TOO_LARGE', message: 'the body is over the limit' };
    // A JSON route given another Content-Type (zod-openapi's media type check).
    if (error.status === 415)
      return { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send Content-Type: application/json' };
    if (error.status === 401) return { code: 'UNAUTHORIZED', message: error.message || 'not authenticated' };
    if (error.status === 404) return { code: 'NOT_FOUND', message: error.message || 'not found' };
  }
  if (isDatabaseUnavailable(error)) {
    return {
      code: 'DATABASE_UNAVAILABLE',
      message: 'the database cannot be reached just now; try again shortly',
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
    };
  }
  return { code: 'INTERNAL', message: 'an unexpected error happened; it has been logged' };
}
