import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError } from '../errors.ts';

/**
 * Platform webhooks. They sit outside /v1 (the platform has no bearer token) and authenticate with
 * the platform's own secret, checked by the channel before anything is processed.
 */
export function registerWebhookRoutes(app: LoketApp, deps: ApiDeps): void {
  app.post('/webhooks/telegram', async (c) => {
    const handler = deps.webhooks?.telegram;
    if (!handler) throw new ApiError('CHANNEL_DISABLED', 'the Telegram webhook is not active');
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError('MALFORMED_JSON', 'the body is not valid JSON');
    }
    const { status } = await handler({ headers: c.req.raw.headers, body });
    if (status === 200) return c.json({ ok: true }, 200);
    if (status === 401) throw new ApiError('UNAUTHORIZED', 'the secret token is missing or wrong');
    if (status === 400) throw new ApiError('VALIDATION_FAILED', 'the body is not a Telegram update');
    if (status === 503) throw new ApiError('CHANNEL_DISABLED', 'the Telegram channel is disabled');
    throw new ApiError('CHANNEL_UNAVAILABLE', 'the update could not be stored; Telegram will retry');
  });
}
