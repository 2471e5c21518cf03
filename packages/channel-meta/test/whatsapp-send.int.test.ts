import { ChannelError } from '@loket/core';
import { type FakeGraph, graphFailures, recordingContext, startFakeGraph } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MetaChannel, WHATSAPP_TEXT_LIMIT } from '../src/index.ts';
import { SITI_WA_ID, states, whatsappChannel } from './harness.ts';

let fake: FakeGraph;
let channel: MetaChannel;

beforeEach(async () => {
  fake = await startFakeGraph();
  channel = whatsappChannel(fake);
});
afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const siti = { channel: 'whatsapp-cloud' as const, externalThreadId: SITI_WA_ID };
const pdf = {
  name: 'surat-keterangan.pdf',
  mime: 'application/pdf',
  data: new TextEncoder().encode('%PDF-1.7 surat'),
};
const png = { name: 'denah.png', mime: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) };

async function sendError(content: Parameters<MetaChannel['send']>[1], to = siti): Promise<ChannelError> {
  const error = await channel.send(to, content).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('WhatsApp Cloud send', () => {
  it('posts a text message with the bearer token and returns its wamid', async () => {
    const result = await channel.send(siti, { text: 'Surat Anda sudah selesai.' });
    expect(fake.whatsappMessages).toHaveLength(1);
    expect(result).toEqual({ externalId: fake.whatsappMessages[0]?.id });
    expect(result.externalId).toMatch(/^wamid\./);
    expect(fake.whatsappMessages[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: SITI_WA_ID,
      type: 'text',
      text: { body: 'Surat Anda sudah selesai.', preview_url: false },
    });
    expect(fake.requestsTo(`/${fake.phoneNumberId}/messages`)[0]?.authorization).toBe(
      `Bearer ${fake.accessToken}`,
    );
  });

  it('splits text over 4096 characters at a line break and returns the last id', async () => {
    const paragraph = `${'Persyaratan: KTP, KK, surat pengantar RT/RW. '.repeat(40)}\n`;
    const text = paragraph.repeat(4); // about 7.4k characters
    const result = await channel.send(siti, { text });
    const bodies = fake.whatsappMessages.map((message) => message.text ?? '');
    expect(bodies.length).toBeGreaterThan(1);
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(WHATSAPP_TEXT_LIMIT);
    expect(bodies.join('\n').replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
    expect(result.externalId).toBe(fake.whatsappMessages.at(-1)?.id);
  });

  it('uploads a document as multipart and sends it by media id after the text', async () => {
    const result = await channel.send(siti, { text: 'Berikut suratnya.', documents: [pdf] });
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]).toMatchObject({
      mime: 'application/pdf',
      type: 'application/pdf',
      filename: 'surat-keterangan.pdf',
      messagingProduct: 'whatsapp',
    });
    expect(fake.uploads[0]?.bytes).toEqual(pdf.data);
    expect(fake.whatsappMessages.map((m) => m.type)).toEqual(['text', 'document']);
    expect(fake.whatsappMessages[1]?.body).toMatchObject({
      to: SITI_WA_ID,
      type: 'document',
      document: { id: fake.uploads[0]?.id, filename: 'surat-keterangan.pdf' },
    });
    expect(result.externalId).toBe(fake.whatsappMessages[1]?.id);
  });

  it('sends a PNG as an image and a document without text alone', async () => {
    await channel.send(siti, { text: '', documents: [png] });
    expect(fake.whatsappMessages.map((m) => m.type)).toEqual(['image']);
    expect(fake.whatsappMessages[0]?.body).toMatchObject({ image: { id: fake.uploads[0]?.id } });
  });

  it('refuses an empty message, another channel and a non-number thread', async () => {
    expect(await sendError({ text: '  ' })).toMatchObject({ code: 'EMPTY_MESSAGE', retryable: false });
    expect(
      await sendError({ text: 'x' }, { channel: 'telegram' as never, externalThreadId: '1' }),
    ).toMatchObject({
      code: 'WRONG_CHANNEL',
    });
    expect(await sendError({ text: 'x' }, { ...siti, externalThreadId: 'abc' })).toMatchObject({
      code: 'BAD_RECIPIENT',
    });
    expect(fake.whatsappMessages).toHaveLength(0);
  });

  it('maps the pair rate limit (131056) to a retry after about a minute', async () => {
    fake.failNext('whatsapp-send', graphFailures.pairRateLimit());
    const error = await sendError({ text: 'x' });
    expect(error).toMatchObject({
      retryable: true,
      code: 'RATE_LIMITED',
      retryAfter: 60,
      channel: 'whatsapp-cloud',
    });
    expect(error.message).toMatch(/Too many messages to this citizen.*131056/);
    await channel.send(siti, { text: 'x' });
    expect(fake.whatsappMessages).toHaveLength(1);
  });

  it("maps the throughput limit (130429) to a retry after Meta's Retry-After", async () => {
    fake.failNext('whatsapp-send', graphFailures.throughput(7));
    expect(await sendError({ text: 'x' })).toMatchObject({
      retryable: true,
      code: 'RATE_LIMITED',
      retryAfter: 7,
    });
  });

  it('maps re-engagement (131047) to REPLY_WINDOW_CLOSED with an explanation', async () => {
    fake.failNext('whatsapp-send', graphFailures.reengagement());
    const error = await sendError({ text: 'x' });
    expect(error).toMatchObject({ retryable: false, code: 'REPLY_WINDOW_CLOSED' });
    expect(error.message).toMatch(/more than 24 hours ago.*has to write to us again/);
  });

  it('maps an expired token (190) to AUTH and reports needs_login', async () => {
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.failNext('whatsapp-send', graphFailures.tokenExpired());
    const error = await sendError({ text: 'x' });
    expect(error).toMatchObject({ retryable: false, code: 'AUTH' });
    expect(states(recorder)).toEqual(['starting', 'connected', 'needs_login']);
    expect(recorder.statuses.at(-1)?.detail).toMatch(/access token.*new token/);
  });

  it('maps server errors, network failures and an undeliverable number', async () => {
    fake.failNext('whatsapp-send', graphFailures.serverError());
    expect(await sendError({ text: 'x' })).toMatchObject({ retryable: true, code: 'SERVER_ERROR' });
    fake.failNext('whatsapp-send', { httpStatus: 500, code: 131000, message: 'Something went wrong' });
    expect(await sendError({ text: 'x' })).toMatchObject({ retryable: true, code: 'SERVER_ERROR' });
    fake.failNext('whatsapp-send', graphFailures.connectionReset());
    expect(await sendError({ text: 'x' })).toMatchObject({ retryable: true, code: 'NETWORK' });
    fake.failNext('whatsapp-send', graphFailures.undeliverable());
    expect(await sendError({ text: 'x' })).toMatchObject({ retryable: false, code: 'BAD_RECIPIENT' });
  });

  it('reports a failed upload without sending the document message', async () => {
    fake.failNext('media-upload', graphFailures.serverError());
    expect(await sendError({ text: '', documents: [pdf] })).toMatchObject({ retryable: true });
    expect(fake.whatsappMessages).toHaveLength(0);
  });
});
