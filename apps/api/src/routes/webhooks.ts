import type { LoketApp } from '../app.ts';
import type { ApiDeps, MetaWebhook } from '../context.ts';
import { ApiError } from '../errors.ts';

const META_CHANNELS = [
  { path: '/webhooks/whatsapp-cloud', channel: 'whatsapp-cloud', name: 'WhatsApp Cloud' },
  { path: '/webhooks/instagram-graph', channel: 'instagram-graph', name: 'Instagram' },
] as const;

/**
 * Platform webhooks. They sit outside /v1 (the platform has no bearer token) and authenticate with
 * the platform's own secret, checked by the channel before anything is processed.
 */
export function registerWebhookRoutes(app: LoketApp, deps: ApiDeps): void {
  app.post('/webhooks/telegram', async (c) => {
    const handler = deps.webhooks?.telegram;
    if (!handler) throw new ApiError('CHANNEL_DISABLED', 'the Telegram webhook is not active');
    let body: unknown;
    let malformed = false;
    try {
      body = await c.req.json();
    } catch {
      malformed = true;
    }
    // The handler checks the secret first: a forged request is refused (401) whatever its body holds.
    const { status } = await handler({ headers: c.req.raw.headers, body });
    if (status === 200) return c.json({ ok: true }, 200);
    if (status === 401) throw new ApiError('UNAUTHORIZED', 'the secret token is missing or wrong');
    if (malformed) throw new ApiError('MALFORMED_JSON', 'the body is not valid JSON');
    if (status === 400) throw new ApiError('VALIDATION_FAILED', 'the body is not a Telegram update');
    if (status === 503) throw new ApiError('CHANNEL_DISABLED', 'the Telegram channel is disabled');
    throw new ApiError('CHANNEL_UNAVAILABLE', 'the update could not be stored; Telegram will retry');
  });

  for (const { path, channel, name } of META_CHANNELS) {
    const webhook = (): MetaWebhook => {
      const found = deps.webhooks?.[channel];
      if (!found) throw new ApiError('CHANNEL_NOT_CONFIGURED', `the ${name} channel is not configured`);
      return found;
    };

    // Meta checks the URL once, when the webhook is set up in the app dashboard.
    app.get(path, (c) => {
      const answer = webhook().verify({
        mode: c.req.query('hub.mode'),
        verifyToken: c.req.query('hub.verify_token'),
        challenge: c.req.query('hub.challenge'),
      });
      if (answer.status === 200) return c.text(answer.body, 200);
      throw new ApiError('FORBIDDEN', 'hub.mode or hub.verify_token is wrong');
    });

    app.post(path, async (c) => {
      const handler = webhook();
      // The signature covers the exact bytes Meta sent, so they are read raw, never re-serialised.
      const rawBody = new Uint8Array(await c.req.arrayBuffer());
      const { status } = await handler.handle({
        rawBody,
        signature: c.req.header('x-hub-signature-256'),
      });
      if (status === 200) return c.text('EVENT_RECEIVED', 200);
      if (status === 401) {
        throw new ApiError('UNAUTHORIZED', 'X-Hub-Signature-256 is missing or does not match the body');
      }
      if (status === 400) throw new ApiError('VALIDATION_FAILED', `the body is not a ${name} webhook`);
      if (status === 503) throw new ApiError('CHANNEL_DISABLED', `the ${name} channel is disabled`);
      throw new ApiError('CHANNEL_UNAVAILABLE', `the event could not be stored; Meta will retry`);
    });
  }
}
