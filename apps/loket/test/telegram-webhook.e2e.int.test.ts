import { type FakeTelegram, freePort, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const SECRET = 'e2e-webhook-secret_0123456789';

describe('end to end: Telegram in webhook mode', () => {
  let fake: FakeTelegram;
  let loket: LoketProcess;
  let webhookUrl: string;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    const port = await freePort();
    webhookUrl = `http://127.0.0.1:${port}/webhooks/telegram`;
    loket = await startLoketProcess({
      PORT: String(port),
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: webhookUrl,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
    });
  }, 90_000);
  afterAll(async () => {
    await loket?.stop();
    await fake?.close();
  });

  it('registers the webhook with its secret when the admin enables Telegram', async () => {
    const enabled = await loket.api('PATCH', '/v1/admin/channels/telegram', ADMIN_TOKEN, { enabled: true });
    expect(enabled.status).toBe(200);
    await waitUntil(() => fake.webhook?.url === webhookUrl, { timeoutMs: 10_000 });
    expect(fake.webhook?.secretToken).toBe(SECRET);
    expect(fake.getUpdatesCalls).toHaveLength(0);
  });

  it('refuses a forged update (401) and processes nothing', async () => {
    const forged = await fetch(webhookUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-telegram-bot-api-secret-token': 'guessed-secret-000000',
      },
      body: JSON.stringify({
        update_id: 1,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 1, type: 'private' },
          from: { id: 1, is_bot: false, first_name: 'X' },
          text: 'hi',
        },
      }),
    });
    expect(forged.status).toBe(401);
    const { body } = await loket.api('GET', '/v1/tickets', ADMIN_TOKEN);
    expect(body.items).toEqual([]);
  });

  it('stores an update before answering 200, and a redelivered one once', async () => {
    fake.pushTextMessage({ fromId: 31337, firstName: 'Yanti', text: 'mau urus KIA anak', messageId: 11 });
    expect(await fake.deliverToWebhook()).toEqual([200]);
    // Stored before the 200: the ticket is there at once, without waiting.
    const { body } = await loket.api('GET', '/v1/tickets', ADMIN_TOKEN);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({ service: 'KIA', contact: { displayName: 'Yanti' } });
    fake.pushTextMessage({ fromId: 31337, firstName: 'Yanti', text: 'mau urus KIA anak', messageId: 11 });
    expect(await fake.deliverToWebhook()).toEqual([200]);
    const messages = await loket.api('GET', `/v1/tickets/${body.items[0].id}/messages`, ADMIN_TOKEN);
    expect(messages.body.items.filter((m: { direction: string }) => m.direction === 'inbound')).toHaveLength(
      1,
    );
    await waitUntil(() => fake.sent.some((s) => s.text?.includes(body.items[0].number)), {
      timeoutMs: 10_000,
    });
  });
});
