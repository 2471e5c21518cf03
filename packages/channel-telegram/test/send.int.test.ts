import { ChannelError } from '@loket/core';
import { type FakeTelegram, startFakeTelegram, telegramFailures } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../src/index.ts';
import { pollingChannel, siti } from './harness.ts';

let fake: FakeTelegram;
let channel: TelegramChannel;
const thread = { channel: 'telegram' as const, externalThreadId: String(siti.id) };

beforeEach(async () => {
  fake = await startFakeTelegram();
  // Sending needs no start(): the delivery worker may send while polling is off.
  channel = pollingChannel(fake);
});
afterEach(async () => {
  await fake.close();
});

async function sendFailure(): Promise<ChannelError> {
  const error = await channel
    .send(thread, { text: 'Berkas Anda sudah selesai' })
    .catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('sending through the real Telegraf client', () => {
  it('sends text with sendMessage and returns chat:message_id', async () => {
    const result = await channel.send(thread, { text: 'Permohonan Anda kami terima.' });
    expect(fake.sent).toHaveLength(1);
    const sent = fake.sent[0];
    expect(sent).toMatchObject({
      method: 'sendMessage',
      chatId: String(siti.id),
      text: 'Permohonan Anda kami terima.',
    });
    expect(result.externalId).toBe(`${siti.id}:${sent?.message.message_id}`);
  });

  it('splits text over 4096 characters and returns the last message id', async () => {
    const paragraph = `${'Syarat pembuatan KTP-el: '.repeat(100)}\n`;
    const text = paragraph.repeat(3);
    expect(text.length).toBeGreaterThan(4096);
    const result = await channel.send(thread, { text });
    expect(fake.sent.length).toBeGreaterThan(1);
    expect(fake.sent.every((entry) => (entry.text ?? '').length <= 4096)).toBe(true);
    expect(fake.sent.map((entry) => entry.text).join('\n')).toBe(text);
    expect(result.externalId).toBe(`${siti.id}:${fake.sent.at(-1)?.message.message_id}`);
  });

  it('uploads documents as multipart sendDocument after the text', async () => {
    const data = new TextEncoder().encode('%PDF-1.4 surat keterangan');
    const result = await channel.send(thread, {
      text: 'Terlampir surat keterangan.',
      documents: [{ name: 'surat-keterangan.pdf', mime: 'application/pdf', data }],
    });
    expect(fake.sent.map((entry) => entry.method)).toEqual(['sendMessage', 'sendDocument']);
    const document = fake.sent[1]?.document;
    expect(document).toMatchObject({ kind: 'upload', fileName: 'surat-keterangan.pdf' });
    expect(document?.kind === 'upload' ? document.bytes : undefined).toEqual(data);
    expect(result.externalId).toBe(`${siti.id}:${fake.sent[1]?.message.message_id}`);
  });

  it('maps 429 to a retryable ChannelError carrying retry_after', async () => {
    fake.failNext('sendMessage', telegramFailures.tooManyRequests(7));
    const error = await sendFailure();
    expect(error).toMatchObject({
      channel: 'telegram',
      retryable: true,
      retryAfter: 7,
      code: 'RATE_LIMITED',
    });
  });

  it('maps "bot was blocked by the user" to a non-retryable ChannelError', async () => {
    fake.failNext('sendMessage', telegramFailures.botBlocked());
    const error = await sendFailure();
    expect(error).toMatchObject({ retryable: false, code: 'BLOCKED' });
    expect(error.message).toMatch(/blocked by the user/);
  });

  it('maps "chat not found" to a non-retryable ChannelError', async () => {
    fake.failNext('sendMessage', telegramFailures.chatNotFound());
    expect(await sendFailure()).toMatchObject({ retryable: false, code: 'CHAT_NOT_FOUND' });
  });

  it('maps 5xx and dropped connections to retryable errors', async () => {
    fake.failNext('sendMessage', telegramFailures.badGateway());
    expect(await sendFailure()).toMatchObject({ retryable: true, code: 'SERVER_ERROR' });
    fake.failNext('sendMessage', telegramFailures.connectionReset());
    const network = await sendFailure();
    expect(network).toMatchObject({ retryable: true, code: 'NETWORK' });
    expect(network.message).not.toContain(fake.token);
  });

  it('refuses a thread of another channel and an empty message without calling Telegram', async () => {
    const wrong = await channel
      .send({ channel: 'whatsapp', externalThreadId: '62811@s.whatsapp.net' }, { text: 'x' })
      .catch((error: unknown) => error);
    expect(wrong).toMatchObject({ retryable: false, code: 'WRONG_CHANNEL' });
    const empty = await channel.send(thread, { text: '   ' }).catch((error: unknown) => error);
    expect(empty).toMatchObject({ retryable: false, code: 'EMPTY_MESSAGE' });
    expect(fake.calls).toHaveLength(0);
  });
});
