import { randomBytes } from 'node:crypto';
import { ChannelError } from '@loket/core';
import {
  type FakeWhatsApp,
  fakeMediaUploadAgent,
  registeredCreds,
  startFakeWhatsApp,
  trustFakeWhatsAppCertificates,
  waitUntil,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WhatsAppChannel } from '../src/index.ts';
import { CITIZEN_LID, CITIZEN_PN, fakeChannel, linkedSession, recordingContext } from './harness.ts';

let fake: FakeWhatsApp;
const channels: WhatsAppChannel[] = [];

beforeEach(async () => {
  fake = await startFakeWhatsApp();
  trustFakeWhatsAppCertificates(fake);
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.stop()));
  await fake.close();
});

async function connected() {
  // Baileys uploads media only over https; this agent trusts the fake's loopback certificate.
  const channel = fakeChannel(fake, await linkedSession(registeredCreds()), {
    mediaUploadAgent: fakeMediaUploadAgent(),
  });
  channels.push(channel);
  const recorder = recordingContext();
  await channel.start(recorder.ctx);
  return { channel, recorder };
}

describe('WhatsApp media against the fake server', () => {
  it('downloads and decrypts a document through fetch(maxBytes)', async () => {
    const { recorder } = await connected();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(70_000)]);
    await fake.sendMedia({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      kind: 'document',
      bytes: pdf,
      mimetype: 'application/pdf',
      fileName: 'surat-pengantar.pdf',
      caption: 'Surat pengantar RT',
    });
    await waitUntil(() => recorder.stored.length === 1);
    const message = recorder.stored[0]!;
    expect(message.text).toBe('Surat pengantar RT');
    const attachment = message.attachments[0]!;
    expect(attachment).toMatchObject({
      kind: 'document',
      mime: 'application/pdf',
      name: 'surat-pengantar.pdf',
      size: pdf.length,
    });
    const bytes = await attachment.fetch(1024 * 1024);
    expect(Buffer.compare(Buffer.from(bytes), pdf)).toBe(0);
    expect(fake.media.downloads).toHaveLength(1);
  });

  it('refuses a file over the limit before downloading it', async () => {
    const { recorder } = await connected();
    await fake.sendMedia({
      from: CITIZEN_LID,
      kind: 'image',
      bytes: randomBytes(50_000),
      mimetype: 'image/jpeg',
    });
    await waitUntil(() => recorder.stored.length === 1);
    const error = await recorder.stored[0]!.attachments[0]!.fetch(10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ code: 'FILE_TOO_LARGE', retryable: false });
    expect((error as Error).message).toMatch(/over the 10000-byte limit/);
    expect(fake.media.downloads).toHaveLength(0);
  });

  it('sends a document and an image that the citizen’s phone decrypts', async () => {
    const { channel } = await connected();
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20_000)]);
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), randomBytes(2000)]);
    const { externalId } = await channel.send(
      { channel: 'whatsapp', externalThreadId: CITIZEN_LID },
      {
        text: 'Berikut suratnya.',
        documents: [
          { name: 'surat-keterangan.pdf', mime: 'application/pdf', data: pdf },
          { name: 'denah.png', mime: 'image/png', data: png },
        ],
      },
    );
    await fake.waitForReceived(3);
    const [text, document, image] = fake.received;
    expect(text?.text).toBe('Berikut suratnya.');
    expect(document?.media).toMatchObject({
      type: 'document',
      mimetype: 'application/pdf',
      fileName: 'surat-keterangan.pdf',
    });
    expect(Buffer.compare(document!.media!.bytes, pdf)).toBe(0);
    expect(image?.media).toMatchObject({ type: 'image', mimetype: 'image/png' });
    expect(Buffer.compare(image!.media!.bytes, png)).toBe(0);
    expect(image?.id).toBe(externalId);
  });
});
