import { jidNormalizedUser } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../wait-until.ts';
import { type BaileysTestClient, connectBaileysTestClient } from './baileys-test-client.ts';
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
});

afterEach(async () => {
  client?.sock.end(undefined);
  await fake.close();
  expect(fake.errors).toEqual([]);
});

async function openClient(): Promise<BaileysTestClient> {
  client = connectBaileysTestClient(fake, createMemoryAuthState(registeredCreds()));
  await client.waitForOpen();
  return client;
}

describe('fake WhatsApp: messages', () => {
  it('delivers a LID-addressed text as messages.upsert notify with remoteJidAlt, and gets it acked', async () => {
    await openClient();
    const id = await fake.sendText({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      text: 'Halo, saya mau urus KTP',
      pushName: 'Siti',
    });

    const upsert = await client.waitForUpsert((u) => u.messages.some((m) => m.key.id === id));
    const message = upsert.messages.find((m) => m.key.id === id)!;
    expect(upsert.type).toBe('notify');
    expect(message.key).toMatchObject({
      remoteJid: CITIZEN_LID,
      remoteJidAlt: CITIZEN_PN,
      fromMe: false,
      addressingMode: 'lid',
    });
    expect(message.message?.conversation).toBe('Halo, saya mau urus KTP');
    expect(message.pushName).toBe('Siti');
    // Baileys answers a delivered message with a <receipt>, sent before it emits messages.upsert.
    const receipt = await fake.waitForReceipt(id);
    expect(receipt).toMatchObject({ tag: 'receipt', to: CITIZEN_LID });
  });

  it('delivers a phone-addressed text with sender_lid as remoteJidAlt', async () => {
    await openClient();
    const id = await fake.sendText({ from: CITIZEN_PN, senderLid: CITIZEN_LID, text: 'pagi' });
    const upsert = await client.waitForUpsert((u) => u.messages.some((m) => m.key.id === id));
    expect(upsert.messages[0]!.key).toMatchObject({
      remoteJid: CITIZEN_PN,
      remoteJidAlt: CITIZEN_LID,
      addressingMode: 'pn',
    });
  });

  it('decrypts what sendMessage sends (usync devices, key bundle, pkmsg) and the next message on that session', async () => {
    await openClient();
    const first = await client.sock.sendMessage(CITIZEN_PN, { text: 'Permohonan Anda sedang diproses.' });
    await fake.waitForReceived(1);
    expect(fake.received[0]).toMatchObject({
      to: CITIZEN_PN,
      id: first?.key.id,
      text: 'Permohonan Anda sedang diproses.',
      encryption: 'pkmsg',
    });

    const second = await client.sock.sendMessage(CITIZEN_PN, { text: 'Silakan datang hari Senin.' });
    await fake.waitForReceived(2);
    expect(fake.received[1]).toMatchObject({ id: second?.key.id, text: 'Silakan datang hari Senin.' });
    expect(fake.undecryptable).toEqual([]);
  });

  it('decrypts a reply sent to the LID the citizen wrote from', async () => {
    await openClient();
    const inbound = await fake.sendText({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'halo' });
    await client.waitForUpsert((u) => u.messages.some((m) => m.key.id === inbound));
    await client.sock.sendMessage(CITIZEN_LID, { text: 'Terima kasih, pesan diterima.' });
    await fake.waitForReceived(1);
    expect(fake.received[0]).toMatchObject({ to: CITIZEN_LID, text: 'Terima kasih, pesan diterima.' });
  });

  it('works with Baileys defaults too: init queries, presence "available", read receipts', async () => {
    client = connectBaileysTestClient(fake, createMemoryAuthState(registeredCreds()), {
      fireInitQueries: true,
      markOnlineOnConnect: true,
    });
    await client.waitForOpen();
    const id = await fake.sendText({ from: CITIZEN_LID, senderPn: CITIZEN_PN, text: 'halo' });
    const upsert = await client.waitForUpsert((u) => u.messages.some((m) => m.key.id === id));
    // Online, Baileys sends a plain delivery receipt (no type) instead of 'inactive'.
    expect((await fake.waitForReceipt(id)).type).toBeUndefined();
    await client.sock.readMessages([upsert.messages[0]!.key]);
    await waitUntil(() => fake.receipts.some((receipt) => receipt.id === id && receipt.type === 'read'));
    const asked = fake.clientStanzas.map((stanza) => stanza.attrs.xmlns);
    expect(asked).toEqual(expect.arrayContaining(['abt', 'blocklist', 'privacy']));
  });

  it('delivers the offline batch after login', async () => {
    fake.queueOffline({ from: CITIZEN_LID, senderPn: CITIZEN_PN, id: 'OFFLINE1', text: 'pesan semalam 1' });
    fake.queueOffline({ from: CITIZEN_LID, senderPn: CITIZEN_PN, id: 'OFFLINE2', text: 'pesan semalam 2' });
    await openClient();
    const upsert = await client.waitForUpsert((u) => u.messages.some((m) => m.key.id === 'OFFLINE2'));
    const ids = client.upserts.flatMap((u) => u.messages.map((m) => m.key.id));
    expect(ids).toEqual(expect.arrayContaining(['OFFLINE1', 'OFFLINE2']));
    // rc14: a stanza with the `offline` attribute is upserted as 'append', not 'notify'.
    expect(upsert.type).toBe('append');
    expect(upsert.messages.find((m) => m.key.id === 'OFFLINE2')?.key.remoteJidAlt).toBe(CITIZEN_PN);
    await fake.waitForReceipt('OFFLINE2');
  });

  it('emits lid-mapping.update when the server links a LID and a phone number', async () => {
    await openClient();
    const mappings: { lid: string; pn: string }[] = [];
    client.sock.ev.on('lid-mapping.update', (mapping) => mappings.push(mapping));
    const id = await fake.sendLidMapping({ lid: CITIZEN_LID, pn: CITIZEN_PN });
    await fake.waitForReceipt(id);
    await waitUntil(() => mappings.length > 0);
    expect(mappings).toEqual([{ lid: CITIZEN_LID, pn: CITIZEN_PN }]);
    // The store answers with a device suffix ('…:0@s.whatsapp.net'); jidNormalizedUser strips it.
    const pn = await client.sock.signalRepository.lidMapping.getPNForLID(CITIZEN_LID);
    expect(jidNormalizedUser(pn ?? undefined)).toBe(CITIZEN_PN);
  });
});
