import { randomBytes } from 'node:crypto';
import { downloadMediaMessage, type WAMessage } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BaileysTestClient, connectBaileysTestClient } from './baileys-test-client.ts';
import { fakeMediaUploadAgent } from './fake-media-tls.ts';
import { type FakeWhatsApp, startFakeWhatsApp, trustFakeWhatsAppCertificates } from './fake-whatsapp.ts';
import { createMemoryAuthState } from './memory-auth-state.ts';
import { registeredCreds } from './registered-creds.ts';

const CITIZEN_LID = '201234567890123@lid';
const CITIZEN_PN = '6281311112222@s.whatsapp.net';

let fake: FakeWhatsApp;
let client: BaileysTestClient;

beforeEach(async () => {
  fake = await startFakeWhatsApp();
  trustFakeWhatsAppCertificates(fake);
  // Uploads go to https://<media_conn host>; this agent trusts the fake's loopback certificate.
  client = connectBaileysTestClient(fake, createMemoryAuthState(registeredCreds()), {
    fetchAgent: fakeMediaUploadAgent(),
  });
  await client.waitForOpen();
});

afterEach(async () => {
  client.sock.end(undefined);
  await fake.close();
  expect(fake.errors).toEqual([]);
});

async function receive(id: string): Promise<WAMessage> {
  const upsert = await client.waitForUpsert((u) => u.messages.some((m) => m.key.id === id));
  return upsert.messages.find((m) => m.key.id === id)!;
}

describe('fake WhatsApp: media', () => {
  it('serves an encrypted document that downloadMediaMessage really decrypts', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(70_000)]);
    const id = await fake.sendMedia({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      kind: 'document',
      bytes: pdf,
      mimetype: 'application/pdf',
      fileName: 'surat-pengantar.pdf',
      caption: 'Surat pengantar RT',
    });
    const message = await receive(id);
    const document = message.message?.documentMessage;
    expect(document).toMatchObject({ mimetype: 'application/pdf', fileName: 'surat-pengantar.pdf' });
    expect(document?.directPath ?? undefined).toBeUndefined();
    expect(document?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mms\/document\//);

    const downloaded = await downloadMediaMessage(message, 'buffer', {});
    expect(Buffer.compare(downloaded, pdf)).toBe(0);
    expect(fake.media.downloads).toHaveLength(1);
  });

  it('serves an encrypted image the same way', async () => {
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(4096)]);
    const id = await fake.sendMedia({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      kind: 'image',
      bytes: jpeg,
      mimetype: 'image/jpeg',
      caption: 'foto KTP',
    });
    const message = await receive(id);
    expect(message.message?.imageMessage?.caption).toBe('foto KTP');
    const downloaded = await downloadMediaMessage(message, 'buffer', {});
    expect(Buffer.compare(downloaded, jpeg)).toBe(0);
  });

  it('answers 404 for media it does not hold, which downloadMediaMessage reports as an error', async () => {
    const id = await fake.sendMedia({
      from: CITIZEN_LID,
      kind: 'document',
      bytes: Buffer.from('x'),
      mimetype: 'text/plain',
    });
    const message = await receive(id);
    const document = message.message!.documentMessage!;
    document.url = `${document.url}-missing`;
    await expect(downloadMediaMessage(message, 'buffer', {})).rejects.toThrow(/Failed to fetch stream/);
  });

  it('receives an uploaded outbound document and decrypts it as the recipient would', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(20_000)]);
    await client.sock.sendMessage(CITIZEN_PN, {
      document: pdf,
      mimetype: 'application/pdf',
      fileName: 'balasan.pdf',
      caption: 'Surat balasan',
    });
    await fake.waitForReceived(1);
    expect(fake.media.uploads).toHaveLength(1);
    expect(fake.received[0]?.media).toMatchObject({
      type: 'document',
      mimetype: 'application/pdf',
      fileName: 'balasan.pdf',
      caption: 'Surat balasan',
    });
    expect(Buffer.compare(fake.received[0]!.media!.bytes, pdf)).toBe(0);
    expect(fake.received[0]?.text).toBe('Surat balasan');
  });

  it('receives an uploaded outbound image', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    await client.sock.sendMessage(CITIZEN_PN, { image: png, mimetype: 'image/png', caption: 'denah lokasi' });
    await fake.waitForReceived(1);
    expect(fake.received[0]?.media).toMatchObject({
      type: 'image',
      mimetype: 'image/png',
      caption: 'denah lokasi',
    });
    expect(Buffer.compare(fake.received[0]!.media!.bytes, png)).toBe(0);
  });
});
