import { DisconnectReason } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BaileysTestClient, connectBaileysTestClient } from './baileys-test-client.ts';
import { type FakeWhatsApp, startFakeWhatsApp, trustFakeWhatsAppCertificates } from './fake-whatsapp.ts';
import { createMemoryAuthState } from './memory-auth-state.ts';

const PHONE = '6281234567890';

let fake: FakeWhatsApp;
const clients: BaileysTestClient[] = [];

function connect(auth = createMemoryAuthState()): BaileysTestClient {
  const client = connectBaileysTestClient(fake, auth);
  clients.push(client);
  return client;
}

beforeEach(async () => {
  fake = await startFakeWhatsApp();
  trustFakeWhatsAppCertificates(fake);
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.sock.end(undefined);
  await fake.close();
  expect(fake.errors).toEqual([]);
});

describe('fake WhatsApp: pairing', () => {
  it('sends fresh creds a pair-device iq, and the client shows a QR', async () => {
    const client = connect();
    const qr = await client.waitForQr();
    expect(qr).toMatch(/^https:\/\/wa\.me\/settings\/linked_devices#2@/);
    await fake.waitForLogin();
    expect(fake.connectionCount).toBe(1);
  });

  it('answers requestPairingCode (link_code_companion_reg) and records the number', async () => {
    const client = connect();
    await client.waitForQr();
    const code = await client.sock.requestPairingCode(PHONE);
    expect(code).toMatch(/^[0-9A-Z]{8}$/);
    await fake.waitForPairingCodeRequest();
    expect(fake.pairingCodeRequests[0]).toMatchObject({ phoneNumber: PHONE, code: '' });
  });

  it('refuses a login from creds left by an unfinished pairing code (Baileys set me, no device)', async () => {
    const auth = createMemoryAuthState();
    const first = connect(auth);
    await first.waitForQr();
    await first.sock.requestPairingCode(PHONE);
    await fake.waitForPairingCodeRequest();
    first.sock.end(undefined);
    await first.waitForClose();
    expect(auth.creds.me?.id).toBe(`${PHONE}@s.whatsapp.net`);

    const second = connect(auth);
    expect(await second.waitForClose()).toBe(DisconnectReason.loggedOut);
  });

  it('pairs by QR: pair-success, restart required (515), then a login with the new identity', async () => {
    const auth = createMemoryAuthState();
    const first = connect(auth);
    await fake.scanQr(await first.waitForQr(), { phoneNumber: PHONE });
    expect(await first.waitForClose()).toBe(DisconnectReason.restartRequired);
    expect(auth.creds.me?.id).toMatch(new RegExp(`^${PHONE}:\\d+@s\\.whatsapp\\.net$`));
    expect(fake.pairedDevices).toEqual([{ jid: auth.creds.me?.id, lid: auth.creds.me?.lid }]);
    // rc14 sets `registered` only for pairing by code; "paired" means creds.me plus creds.account.
    expect(auth.creds.registered).toBe(false);
    expect(auth.creds.account?.deviceSignature).toBeTruthy();

    const second = connect(auth);
    await second.waitForOpen();
    expect(second.updates.some((update) => update.qr)).toBe(false);
  });

  it('pairs by code: the code typed into the phone is proven by the companion key bundle', async () => {
    const auth = createMemoryAuthState();
    const first = connect(auth);
    await first.waitForQr();
    const code = await first.sock.requestPairingCode(PHONE);
    await fake.waitForPairingCodeRequest();
    await fake.enterPairingCode(code);
    expect(await first.waitForClose()).toBe(DisconnectReason.restartRequired);
    expect(fake.pairingCodeRequests[0]?.code).toBe(code);
    expect(auth.creds.registered).toBe(true);

    const second = connect(auth);
    await second.waitForOpen();
    expect(second.sock.user?.id).toBe(fake.pairedDevices[0]?.jid);
  });
});
