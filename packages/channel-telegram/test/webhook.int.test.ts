import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type FakeTelegram,
  startFakeTelegram,
  stickerMessageUpdate,
  telegramFailures,
  textMessageUpdate,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel, type TelegramChannel } from '../src/index.ts';
import { fastBackoff, recordingContext, siti, states } from './harness.ts';

const SECRET = 'loket_webhook-secret_42';
const WEBHOOK_URL = 'https://loket.example.go.id/webhooks/telegram';

let fake: FakeTelegram;
let channel: TelegramChannel;

beforeEach(async () => {
  fake = await startFakeTelegram();
  channel = createTelegramChannel({
    token: fake.token,
    apiRoot: fake.apiRoot,
    mode: { webhookUrl: WEBHOOK_URL, secretToken: SECRET },
    backoff: fastBackoff,
  });
});
afterEach(async () => {
  await channel.stop();
  await fake.close();
});

function update(payload: ReturnType<typeof textMessageUpdate>, updateId = 900_001) {
  return { update_id: updateId, ...payload };
}

describe('Telegram webhook mode', () => {
  it('registers the webhook with its secret on start and never polls', async () => {
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'connected']);
    expect(fake.webhook).toEqual({
      url: WEBHOOK_URL,
      secretToken: SECRET,
      allowedUpdates: ['message', 'edited_message'],
    });
    expect(fake.getUpdatesCalls).toHaveLength(0);
  });

  it('retries setWebhook through a transient failure', async () => {
    fake.failNext('setWebhook', telegramFailures.badGateway());
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'connecting', 'connected']);
    expect(fake.webhook?.url).toBe(WEBHOOK_URL);
  });

  it('answers 401 to a missing or wrong secret and processes nothing', async () => {
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    const body = update(textMessageUpdate({ from: siti, text: 'palsu' }));
    expect(await channel.handleWebhook(undefined, body)).toEqual({ status: 401 });
    expect(await channel.handleWebhook('wrong-secret', body)).toEqual({ status: 401 });
    expect(await channel.handleWebhook(`${SECRET}x`, body)).toEqual({ status: 401 });
    expect(recorder.attempts).toHaveLength(0);
    expect(recorder.rejected).toHaveLength(0);
  });

  it('answers 400 to a body that is not an update', async () => {
    await channel.start(recordingContext().ctx);
    for (const body of [null, 'text', [], { message: {} }, { update_id: 'x' }]) {
      expect(await channel.handleWebhook(SECRET, body)).toEqual({ status: 400 });
    }
  });

  it('answers 200 only after the message is stored', async () => {
    const order: string[] = [];
    const recorder = recordingContext(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('stored');
    });
    await channel.start(recorder.ctx);
    const result = await channel.handleWebhook(
      SECRET,
      update(textMessageUpdate({ from: siti, text: 'Halo', messageId: 31 })),
    );
    order.push(`answered ${result.status}`);
    expect(order).toEqual(['stored', 'answered 200']);
    expect(recorder.stored[0]).toMatchObject({ externalMessageId: `${siti.id}:31`, text: 'Halo' });
  });

  it('answers 500 when storing fails, so Telegram retries', async () => {
    const recorder = recordingContext(async () => {
      throw new Error('database down');
    });
    await channel.start(recorder.ctx);
    expect(await channel.handleWebhook(SECRET, update(textMessageUpdate({ from: siti, text: 'x' })))).toEqual(
      {
        status: 500,
      },
    );
    expect(recorder.stored).toHaveLength(0);
  });

  it('answers 200 to an unsupported update and reports it', async () => {
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(await channel.handleWebhook(SECRET, update(stickerMessageUpdate({ from: siti })))).toEqual({
      status: 200,
    });
    expect(recorder.rejected).toMatchObject([
      { reason: 'unsupported_message', detail: { messageKind: 'sticker' } },
    ]);
    expect(recorder.attempts).toHaveLength(0);
  });

  it('answers 500 when the channel is not running', async () => {
    expect(await channel.handleWebhook(SECRET, update(textMessageUpdate({ from: siti, text: 'x' })))).toEqual(
      {
        status: 500,
      },
    );
  });

  it('takes deliveries the fake posts to a real HTTP endpoint, confirming only stored ones', async () => {
    let failStore = true;
    const recorder = recordingContext(async () => {
      if (failStore) throw new Error('transient');
    });
    await channel.start(recorder.ctx);
    const server: Server = createServer(async (request, response) => {
      let raw = '';
      for await (const chunk of request) raw += String(chunk);
      const header = request.headers['x-telegram-bot-api-secret-token'];
      const result = await channel.handleWebhook(
        typeof header === 'string' ? header : undefined,
        JSON.parse(raw),
      );
      response.writeHead(result.status).end();
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      // Point the fake at the local endpoint, as a reverse proxy in front of the API would.
      await fetch(`${fake.apiRoot}/bot${fake.token}/setWebhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
          secret_token: SECRET,
        }),
      });
      fake.pushTextMessage({ fromId: siti.id, firstName: siti.firstName, text: 'lewat webhook' });
      expect(await fake.deliverToWebhook()).toEqual([500]);
      expect(fake.pendingUpdates()).toHaveLength(1);
      failStore = false;
      expect(await fake.deliverToWebhook()).toEqual([200]);
      expect(fake.pendingUpdates()).toEqual([]);
      expect(recorder.stored.map((message) => message.text)).toEqual(['lewat webhook']);
    } finally {
      server.close();
    }
  });
});
