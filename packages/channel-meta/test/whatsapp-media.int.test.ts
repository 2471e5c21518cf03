import { ChannelError } from '@loket/core';
import {
  type FakeGraph,
  recordingContext,
  startFakeGraph,
  whatsappMessages,
  whatsappWebhook,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetaChannel } from '../src/index.ts';
import { bytes, SITI_WA_ID, signed, states, whatsappChannel } from './harness.ts';

let fake: FakeGraph;
let channel: MetaChannel;

beforeEach(async () => {
  fake = await startFakeGraph();
});
afterEach(async () => {
  await channel.stop();
  await fake.close();
});

/** Delivers an image message with this media id and returns the attachment as the gateway gets it. */
async function attachmentFor(mediaId: string, overrides: Parameters<typeof whatsappChannel>[1] = {}) {
  channel = whatsappChannel(fake, overrides);
  const recorder = recordingContext();
  await channel.start(recorder.ctx);
  const payload = whatsappWebhook({
    phoneNumberId: fake.phoneNumberId,
    messages: [whatsappMessages.image({ from: SITI_WA_ID, mediaId })],
  });
  expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
  const attachment = recorder.stored[0]?.attachments[0];
  if (!attachment) throw new Error('no attachment');
  return { attachment, recorder };
}

async function rejection(promise: Promise<unknown>): Promise<ChannelError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('WhatsApp Cloud media download', () => {
  it('looks the media id up and downloads the URL, both with the bearer token', async () => {
    const photo = bytes(3000, 42);
    const { attachment } = await attachmentFor(fake.addMedia(photo, 'image/jpeg'));
    expect(attachment).toMatchObject({ kind: 'image', mime: 'image/jpeg' });
    expect(await attachment.fetch(1024 * 1024)).toEqual(photo);
    const lookups = fake.requests.filter(
      (r) => r.path.startsWith('/v21.0/') && !r.path.endsWith(fake.phoneNumberId),
    );
    const downloads = fake.requestsTo('/whatsapp_business/attachments/');
    expect(lookups).toHaveLength(1);
    expect(downloads).toHaveLength(1);
    for (const request of [...lookups, ...downloads]) {
      expect(request.authorization).toBe(`Bearer ${fake.accessToken}`);
    }
  });

  it('refuses a file over the limit by its announced size, without downloading', async () => {
    const { attachment } = await attachmentFor(fake.addMedia(bytes(5000), 'image/jpeg'));
    const error = await rejection(attachment.fetch(4000));
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', retryable: false });
    expect(fake.requestsTo('/whatsapp_business/attachments/')).toHaveLength(0);
  });

  it('counts the bytes when file_size and Content-Length are missing or lie', async () => {
    const mediaId = fake.addMedia(bytes(5000), 'image/jpeg', { reportedSize: 10, sendLength: false });
    const { attachment } = await attachmentFor(mediaId);
    expect(await rejection(attachment.fetch(4000))).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(fake.requestsTo('/whatsapp_business/attachments/')).toHaveLength(1);
    expect(await attachment.fetch(5000)).toHaveLength(5000);
  });

  it('refuses by Content-Length when file_size understates', async () => {
    const { attachment } = await attachmentFor(
      fake.addMedia(bytes(5000), 'image/jpeg', { reportedSize: 10 }),
    );
    expect(await rejection(attachment.fetch(4000))).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it("keeps to the channel's own ceiling whatever the caller asks", async () => {
    const { attachment } = await attachmentFor(fake.addMedia(bytes(2000), 'image/jpeg'), {
      maxMediaBytes: 1000,
    });
    expect(await rejection(attachment.fetch(10_000_000))).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('reports a revoked token as needs_login when a download is refused', async () => {
    const { attachment, recorder } = await attachmentFor(fake.addMedia(bytes(10), 'image/jpeg'));
    fake.revokeToken();
    expect(await rejection(attachment.fetch(1000))).toMatchObject({ code: 'AUTH', retryable: false });
    expect(states(recorder)).toEqual(['starting', 'connected', 'needs_login']);
  });

  it('treats a failing download server as retryable', async () => {
    const { attachment } = await attachmentFor(fake.addMedia(bytes(10), 'image/jpeg'));
    fake.failNext('media-download', { httpStatus: 503, code: 2, message: 'Service temporarily unavailable' });
    expect(await rejection(attachment.fetch(1000))).toMatchObject({ retryable: true });
    expect(await attachment.fetch(1000)).toHaveLength(10);
  });

  it('answers an unknown media id with a non-retryable error', async () => {
    const { attachment } = await attachmentFor('1999999999999999');
    expect(await rejection(attachment.fetch(1000))).toMatchObject({
      retryable: false,
      code: 'INVALID_REQUEST',
    });
  });
});
