import { DisconnectReason } from '@whiskeysockets/baileys';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../wait-until.ts';
import { type BaileysTestClient, connectBaileysTestClient } from './baileys-test-client.ts';
import { type FakeWhatsApp, startFakeWhatsApp, trustFakeWhatsAppCertificates } from './fake-whatsapp.ts';
import { createMemoryAuthState } from './memory-auth-state.ts';
import { registeredCreds } from './registered-creds.ts';

let fake: FakeWhatsApp;
const clients: BaileysTestClient[] = [];

function connect(auth = createMemoryAuthState(registeredCreds())): BaileysTestClient {
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

describe('fake WhatsApp: login and disconnects', () => {
  it('logs registered creds in: <success>, login iqs answered, offline batch done, connection open', async () => {
    const client = connect();
    await client.waitForOpen();
    expect(fake.connectionCount).toBe(1);
    await fake.waitForLogin();
    expect(client.sock.user?.lid).toMatch(/^\d+:21@lid$/);
    const asked = fake.clientStanzas.filter((stanza) => stanza.tag === 'iq').map((stanza) => stanza.child);
    expect(asked).toEqual(expect.arrayContaining(['count', 'active', 'digest']));
  });

  it('accepts the pre-key upload when it reports none on the server', async () => {
    await fake.close();
    fake = await startFakeWhatsApp({ preKeyCount: 0 });
    const auth = createMemoryAuthState(registeredCreds());
    const client = connect(auth);
    await client.waitForOpen();
    expect(auth.creds.nextPreKeyId).toBeGreaterThan(800);
    await waitUntil(() => fake.preKeyCount > 800);
  });

  it('keeps the LID the creds were made with', async () => {
    const client = connect(
      createMemoryAuthState(registeredCreds({ phoneNumber: '6285700001111', lid: '111222333444555' })),
    );
    await client.waitForOpen();
    expect(client.sock.user).toMatchObject({
      id: '6285700001111:21@s.whatsapp.net',
      lid: '111222333444555:21@lid',
    });
  });

  it('closing the socket from the server side gives connectionClosed (428)', async () => {
    const client = connect();
    await client.waitForOpen();
    fake.dropConnection();
    expect(await client.waitForClose()).toBe(DisconnectReason.connectionClosed);
  });

  it('<failure reason="401"> on the open connection gives loggedOut (401)', async () => {
    const client = connect();
    await client.waitForOpen();
    fake.failLogin(401);
    expect(await client.waitForClose()).toBe(DisconnectReason.loggedOut);
  });

  it('a live 440 (<stream:error><conflict type="replaced"/>) gives connectionReplaced', async () => {
    const client = connect();
    await client.waitForOpen();
    fake.failLogin(440);
    expect(await client.waitForClose()).toBe(DisconnectReason.connectionReplaced);
  });

  it('a failure queued for the next login replaces <success> (403 forbidden)', async () => {
    fake.failLogin(403, { onNextLogin: true });
    const client = connect();
    expect(await client.waitForClose()).toBe(DisconnectReason.forbidden);
    expect(client.updates.some((update) => update.connection === 'open')).toBe(false);
  });

  it('a restarted client with the same creds and keys opens again without pairing', async () => {
    const auth = createMemoryAuthState(registeredCreds());
    const first = connect(auth);
    await first.waitForOpen();
    first.sock.end(undefined);
    await first.waitForClose();

    const second = connect(auth);
    await second.waitForOpen();
    await fake.waitForLogin(2);
    expect(fake.connectionCount).toBe(2);
    expect(second.updates.some((update) => update.qr)).toBe(false);
  });
});
