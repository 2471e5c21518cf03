import {
  type FakeWhatsApp,
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

function track(channel: WhatsAppChannel): WhatsAppChannel {
  channels.push(channel);
  return channel;
}

beforeEach(async () => {
  fake = await startFakeWhatsApp();
  trustFakeWhatsAppCertificates(fake);
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.stop()));
  await fake.close();
});

describe('WhatsApp messages against the fake server', () => {
  it('hands a LID-addressed text to onMessage keyed on the LID, with the phone beside it', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    const id = await fake.sendText({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      text: 'Halo, saya mau urus KTP',
      pushName: 'Siti',
      timestamp: 1_740_000_000,
    });
    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.stored[0]).toEqual({
      channel: 'whatsapp',
      externalMessageId: id,
      externalUserId: CITIZEN_LID,
      aliasUserIds: [CITIZEN_PN],
      externalThreadId: CITIZEN_LID,
      displayName: 'Siti',
      phone: '+6281311112222',
      sentAt: new Date(1_740_000_000 * 1000),
      text: 'Halo, saya mau urus KTP',
      attachments: [],
    });
    await fake.waitForReceipt(id);
  });

  it('sends a reply that the citizen’s phone decrypts, to the JID the citizen wrote from', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    await channel.start(recordingContext().ctx);
    const { externalId } = await channel.send(
      { channel: 'whatsapp', externalThreadId: CITIZEN_LID },
      { text: 'Syaratnya: KK asli dan surat pengantar RT.' },
    );
    await fake.waitForReceived(1);
    expect(fake.received[0]).toMatchObject({
      to: CITIZEN_LID,
      id: externalId,
      text: 'Syaratnya: KK asli dan surat pengantar RT.',
    });
  });

  it('refuses to send, retryably, while not connected', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    await expect(
      channel.send({ channel: 'whatsapp', externalThreadId: CITIZEN_LID }, { text: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_CONNECTED', retryable: true });
  });

  it('takes in the offline batch delivered at login', async () => {
    fake.queueOffline({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'pesan 1 saat offline' });
    fake.queueOffline({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'pesan 2 saat offline' });
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => recorder.stored.length === 2);
    expect(recorder.stored.map((message) => message.text)).toEqual([
      'pesan 1 saat offline',
      'pesan 2 saat offline',
    ]);
  });

  it('retries a failing store in order, so nothing is dropped and nothing overtakes', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext(async (_message, attempt) => {
      if (attempt <= 2) throw new Error('database unavailable');
    });
    await channel.start(recorder.ctx);
    await fake.sendText({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'satu' });
    await fake.sendText({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'dua' });
    await waitUntil(() => recorder.stored.length === 2);
    expect(recorder.stored.map((message) => message.text)).toEqual(['satu', 'dua']);
    expect(recorder.attempts.map((message) => message.text)).toEqual(['satu', 'satu', 'satu', 'dua']);
  });

  it('keeps a message that could not be stored before a stop, and hands it over at the next start', async () => {
    const session = await linkedSession(registeredCreds());
    const first = track(fakeChannel(fake, session));
    const failing = recordingContext(async () => {
      throw new Error('database unavailable');
    });
    await first.start(failing.ctx);
    const id = await fake.sendText({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'jangan hilang' });
    await waitUntil(() => failing.attempts.length >= 1);
    await first.stop();

    const second = track(fakeChannel(fake, session));
    const recorder = recordingContext();
    await second.start(recorder.ctx);
    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.stored[0]).toMatchObject({
      externalMessageId: id,
      text: 'jangan hilang',
      externalUserId: CITIZEN_LID,
      phone: '+6281311112222',
    });
    await waitUntil(async () => (await session.get('whatsapp:inbound', ['pending'])).size === 0);
  });

  it('hands over messages Baileys still buffered when the connection dropped', async () => {
    // accountSyncCounter 0 is a first connection after pairing: Baileys holds the offline batch's
    // upserts for up to 20 s while it waits for the phone's history sync, after the receipts went out.
    fake.queueOffline({
      id: '3AOFFLINEHELD0001',
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      text: 'di buffer',
    });
    const channel = track(
      fakeChannel(fake, await linkedSession({ ...registeredCreds(), accountSyncCounter: 0 })),
    );
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await fake.waitForReceipt('3AOFFLINEHELD0001');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(recorder.attempts).toHaveLength(0);
    fake.dropConnection();
    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.stored[0]).toMatchObject({ externalMessageId: '3AOFFLINEHELD0001', text: 'di buffer' });
  });

  it('fills in the phone of a later LID-only message from the mapping Baileys stored in the session', async () => {
    const session = await linkedSession(registeredCreds());
    const channel = track(fakeChannel(fake, session));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await fake.sendText({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'pertama' });
    await waitUntil(() => recorder.stored.length === 1);
    await fake.sendText({ from: CITIZEN_LID, text: 'kedua, tanpa sender_pn' });
    await waitUntil(() => recorder.stored.length === 2);
    expect(recorder.stored[1]).toMatchObject({
      externalUserId: CITIZEN_LID,
      aliasUserIds: [CITIZEN_PN],
      phone: '+6281311112222',
    });
    const keys = [...(session.data.get('whatsapp')?.keys() ?? [])];
    expect(keys.some((key) => key.startsWith('lid-mapping:'))).toBe(true);
  });

  it('reports skipped messages through onRejected', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await fake.sendText({ from: '120363000000000001@newsletter', text: 'berita' });
    await fake.sendText({ from: CITIZEN_LID, text: 'setelahnya' });
    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.rejected).toMatchObject([{ reason: 'newsletter' }]);
  });
});
