import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramFailures } from './failures.ts';
import { type FakeTelegram, startFakeTelegram } from './fake-telegram.ts';
import { textMessageUpdate } from './updates.ts';

type ApiAnswer = {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: unknown;
};

let fake: FakeTelegram;

beforeEach(async () => {
  fake = await startFakeTelegram({ botUsername: 'kelurahan_bot' });
});
afterEach(async () => {
  await fake.close();
});

async function call(
  method: string,
  body: unknown = {},
  token = fake.token,
): Promise<{ status: number; json: ApiAnswer }> {
  const response = await fetch(`${fake.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as ApiAnswer };
}

const citizen = { id: 4242, firstName: 'Siti' };

describe('fake Telegram Bot API', () => {
  it('answers getMe for the right token and 401 for a wrong one', async () => {
    const me = await call('getMe');
    expect(me.json).toMatchObject({ ok: true, result: { is_bot: true, username: 'kelurahan_bot' } });
    const wrong = await call('getMe', {}, '1:wrong');
    expect(wrong).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } });
  });

  it('answers 404 for an unknown method', async () => {
    const answer = await call('sendTelepathy');
    expect(answer.status).toBe(404);
    expect(answer.json.description).toBe('Not Found: method not found');
  });

  it('keeps updates until an offset above their id confirms them', async () => {
    const first = fake.pushUpdate(textMessageUpdate({ from: citizen, text: 'satu' }));
    const second = fake.pushUpdate(textMessageUpdate({ from: citizen, text: 'dua' }));
    expect(second).toBe(first + 1);

    const unconfirmed = await call('getUpdates', {});
    const again = await call('getUpdates', {});
    expect(again.json.result).toEqual(unconfirmed.json.result);
    expect((again.json.result as unknown[]).length).toBe(2);

    const limited = await call('getUpdates', { offset: first + 1, limit: 1 });
    expect(limited.json.result).toMatchObject([{ update_id: second }]);
    expect(fake.pendingUpdates().map((update) => update.update_id)).toEqual([second]);

    await call('getUpdates', { offset: second + 1 });
    expect(fake.pendingUpdates()).toEqual([]);
    expect(fake.getUpdatesCalls.at(-1)?.offset).toBe(second + 1);
  });

  it('holds a long poll until an update arrives', async () => {
    const started = Date.now();
    const poll = call('getUpdates', { timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.isPollHeld).toBe(true);
    const id = fake.pushTextMessage({ fromId: 7, firstName: 'Budi', text: 'halo' });
    const answer = await poll;
    expect(answer.json.result).toMatchObject([{ update_id: id, message: { text: 'halo', chat: { id: 7 } } }]);
    // Well before the 10 s hold: the update ended it, not the timeout.
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('answers an empty list when the long-poll timeout passes', async () => {
    const started = Date.now();
    const answer = await call('getUpdates', { timeout: 1 });
    expect(answer.json).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('ends the held poll with 409 when another getUpdates comes in', async () => {
    const first = call('getUpdates', { timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = call('getUpdates', { timeout: 0 });
    const [older, newer] = await Promise.all([first, second]);
    expect(older.status).toBe(409);
    expect(older.json.description).toMatch(/terminated by other getUpdates request/);
    expect(newer.json).toEqual({ ok: true, result: [] });
  });

  it('refuses getUpdates while a webhook is set, and ends a held poll on setWebhook', async () => {
    const held = call('getUpdates', { timeout: 10 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await call('setWebhook', { url: 'https://loket.example/telegram', secret_token: 's3cret' });
    expect((await held).status).toBe(409);
    const refused = await call('getUpdates', {});
    expect(refused.status).toBe(409);
    expect(fake.webhook).toEqual({ url: 'https://loket.example/telegram', secretToken: 's3cret' });

    await call('deleteWebhook', { drop_pending_updates: false });
    expect(fake.webhook).toBeUndefined();
    expect(fake.webhookCalls.map((entry) => entry.method)).toEqual(['setWebhook', 'deleteWebhook']);
    expect((await call('getUpdates', {})).status).toBe(200);
  });

  it('ends held polls on close', async () => {
    const poll = call('getUpdates', { timeout: 30 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await fake.close();
    expect((await poll).json).toEqual({ ok: true, result: [] });
    // Well before the 30 s hold: close ended it.
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('records sendMessage from a urlencoded body and enforces the 4096 limit', async () => {
    const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: 'POST',
      body: new URLSearchParams({ chat_id: '4242', text: 'Permohonan diterima' }),
    });
    const answer = (await response.json()) as ApiAnswer;
    expect(answer.result).toMatchObject({ message_id: 5001, chat: { id: 4242, type: 'private' } });
    expect(fake.sent).toMatchObject([{ method: 'sendMessage', chatId: '4242', text: 'Permohonan diterima' }]);

    const tooLong = await call('sendMessage', { chat_id: 4242, text: 'x'.repeat(4097) });
    expect(tooLong.json.description).toBe('Bad Request: message is too long');
  });

  it('parses a multipart sendDocument upload', async () => {
    const form = new FormData();
    form.set('chat_id', '4242');
    form.set('caption', 'Surat pengantar');
    form.set('document', new Blob([new Uint8Array([1, 2, 3])], { type: 'application/pdf' }), 'surat.pdf');
    const response = await fetch(`${fake.apiRoot}/bot${fake.token}/sendDocument`, {
      method: 'POST',
      body: form,
    });
    const answer = (await response.json()) as ApiAnswer;
    expect(answer.result).toMatchObject({ document: { file_name: 'surat.pdf', file_size: 3 } });
    const sent = fake.sent[0];
    expect(sent?.caption).toBe('Surat pengantar');
    expect(sent?.document).toEqual({
      kind: 'upload',
      fileName: 'surat.pdf',
      mimeType: 'application/pdf',
      bytes: new Uint8Array([1, 2, 3]),
    });
  });

  it('serves files through getFile and /file/bot<token>/<path>', async () => {
    const bytes = new Uint8Array(40_000).fill(7);
    fake.addFile('photo-1', bytes, 'photos/file_9.jpg');
    const file = await call('getFile', { file_id: 'photo-1' });
    expect(file.json.result).toMatchObject({ file_path: 'photos/file_9.jpg', file_size: 40_000 });
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/photos/file_9.jpg`);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    expect((await call('getFile', { file_id: 'nope' })).json.description).toBe(
      'Bad Request: invalid file_id',
    );
  });

  it('fails injected calls in order with Telegram-shaped errors', async () => {
    fake.failNext('sendMessage', telegramFailures.tooManyRequests(7));
    fake.failNext('sendMessage', telegramFailures.botBlocked());
    const limited = await call('sendMessage', { chat_id: 1, text: 'a' });
    expect(limited).toEqual({
      status: 429,
      json: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    });
    expect((await call('sendMessage', { chat_id: 1, text: 'a' })).json.description).toBe(
      'Forbidden: bot was blocked by the user',
    );
    expect((await call('sendMessage', { chat_id: 1, text: 'a' })).status).toBe(200);
  });

  it('drops the connection for an injected network failure', async () => {
    fake.failNext('getMe', telegramFailures.connectionReset());
    await expect(call('getMe')).rejects.toThrow();
    expect((await call('getMe')).status).toBe(200);
  });

  it('delivers pending updates to the webhook with the secret, keeping them on a non-2xx answer', async () => {
    const received: { secret: string | undefined; body: string }[] = [];
    let answer = 500;
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on('end', () => {
        received.push({
          secret: request.headers['x-telegram-bot-api-secret-token'] as string | undefined,
          body,
        });
        response.writeHead(answer).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await new Promise((resolve) => receiver.once('listening', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    try {
      await call('setWebhook', { url, secret_token: 'abc_123' });
      const id = fake.pushTextMessage({ fromId: 9, firstName: 'Ani', text: 'tolong' });
      expect(await fake.deliverToWebhook()).toEqual([500]);
      expect(fake.pendingUpdates()).toHaveLength(1);
      answer = 200;
      expect(await fake.deliverToWebhook()).toEqual([200]);
      expect(fake.pendingUpdates()).toEqual([]);
      expect(received).toHaveLength(2);
      expect(received[1]?.secret).toBe('abc_123');
      expect(JSON.parse(received[1]?.body ?? '{}')).toMatchObject({
        update_id: id,
        message: { text: 'tolong' },
      });
    } finally {
      receiver.close();
    }
  });
});
