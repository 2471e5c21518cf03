import { type FakeWhatsApp, startFakeWhatsApp, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const CITIZEN_LID = '201234567890123@lid';
const CITIZEN_PN = '6281298765432@s.whatsapp.net';

describe('end to end: pnpm start with WhatsApp (real Baileys) against the fake WhatsApp server', () => {
  let fake: FakeWhatsApp;
  let loket: LoketProcess;
  const env = () => ({
    LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
    WHATSAPP_WS_URL: fake.url,
    WHATSAPP_TRUSTED_ROOT_KEY: Buffer.from(fake.rootPublicKey).toString('hex'),
    WHATSAPP_PER_CHAT_INTERVAL_MS: '0',
    WHATSAPP_GLOBAL_PER_MINUTE: '600',
  });

  beforeAll(async () => {
    fake = await startFakeWhatsApp();
    loket = await startLoketProcess(env());
  }, 90_000);
  afterAll(async () => {
    await loket?.stop();
    await fake?.close();
  });

  const channel = async () =>
    (await loket.api('GET', '/v1/admin/channels', ADMIN_TOKEN)).body.items.find(
      (c: JsonBody) => c.channel === 'whatsapp',
    );
  const inbox = async () => (await loket.api('GET', '/v1/tickets', ADMIN_TOKEN)).body.items as JsonBody[];
  const messagesOf = async (id: string) =>
    (await loket.api('GET', `/v1/tickets/${id}/messages`, ADMIN_TOKEN)).body.items as JsonBody[];

  it('pairs over the admin API: enable, needs_pairing, QR, scan, connected', async () => {
    expect((await loket.api('GET', '/v1/admin/channels/whatsapp/qr', ADMIN_TOKEN)).status).toBe(503);
    const enabled = await loket.api('PATCH', '/v1/admin/channels/whatsapp', ADMIN_TOKEN, { enabled: true });
    expect(enabled.status).toBe(200);
    await waitUntil(async () => (await channel()).status === 'needs_pairing', { timeoutMs: 20_000 });
    const qr = await loket.api('GET', '/v1/admin/channels/whatsapp/qr', ADMIN_TOKEN);
    expect(qr.status).toBe(200);
    expect(qr.body.qr).toEqual(expect.any(String));
    await fake.scanQr(qr.body.qr, { phoneNumber: '6281234567890' });
    await waitUntil(async () => (await channel()).status === 'connected', {
      timeoutMs: 20_000,
      message: 'WhatsApp never became connected after the scan',
    });
  });

  it("turns a citizen's LID message into a ticket and acknowledges on WhatsApp", async () => {
    await fake.sendText({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      text: 'Pagi, mau urus kartu keluarga',
      pushName: 'Ibu Ratna',
      id: '3AE2E0000000000001',
    });
    await waitUntil(async () => (await inbox()).length === 1, { timeoutMs: 15_000, message: 'no ticket' });
    const [ticket] = await inbox();
    expect(ticket).toMatchObject({
      channel: 'whatsapp',
      service: 'KK',
      contact: { displayName: 'Ibu Ratna' },
    });
    await fake.waitForReceived(1, 15_000);
    expect(fake.received[0]?.text).toContain(ticket.number);
  });

  it('stores a redelivered message once', async () => {
    await fake.sendText({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      text: 'Pagi, mau urus kartu keluarga',
      pushName: 'Ibu Ratna',
      id: '3AE2E0000000000001',
    });
    await fake.sendText({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      text: 'ini foto KK lama saya',
      pushName: 'Ibu Ratna',
      id: '3AE2E0000000000002',
    });
    const [ticket] = await inbox();
    await waitUntil(
      async () => (await messagesOf(ticket.id)).filter((m) => m.direction === 'inbound').length === 2,
      { timeoutMs: 15_000 },
    );
    const inbound = (await messagesOf(ticket.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.text)).toEqual(['Pagi, mau urus kartu keluarga', 'ini foto KK lama saya']);
  });

  it("delivers an officer's reply, decrypted by the citizen's phone, and marks it sent", async () => {
    const [ticket] = await inbox();
    const reply = await loket.api('POST', `/v1/tickets/${ticket.id}/replies`, ADMIN_TOKEN, {
      text: 'Baik Bu Ratna, mohon kirim foto KTP.',
    });
    expect(reply.status).toBe(202);
    await waitUntil(() => fake.received.some((m) => m.text === 'Baik Bu Ratna, mohon kirim foto KTP.'), {
      timeoutMs: 15_000,
    });
    await waitUntil(
      async () =>
        (await messagesOf(ticket.id)).find((m) => m.id === reply.body.id)?.deliveryStatus === 'sent',
    );
    expect((await loket.api('GET', `/v1/tickets/${ticket.id}`, ADMIN_TOKEN)).body.slaState).toBe('met');
  });

  it('reconnects after a restart from the session in the database, without pairing again', async () => {
    const pairings = fake.pairedDevices.length;
    await loket.stop({ keepData: true });
    loket = await startLoketProcess(env(), { dataDir: loket.dataDir });
    await waitUntil(async () => (await channel()).status === 'connected', { timeoutMs: 20_000 });
    expect(fake.pairedDevices.length).toBe(pairings);
    expect((await loket.api('GET', '/v1/admin/channels/whatsapp/qr', ADMIN_TOKEN)).status).toBe(409);
    await fake.sendText({
      from: CITIZEN_LID,
      senderPn: CITIZEN_PN,
      text: 'sudah saya kirim',
      pushName: 'Ibu Ratna',
    });
    const [ticket] = await inbox();
    await waitUntil(async () => (await messagesOf(ticket.id)).some((m) => m.text === 'sudah saya kirim'), {
      timeoutMs: 15_000,
    });
  }, 90_000);

  it('merges two contacts of one citizen when WhatsApp links their LID and phone number', async () => {
    const lid = '209999888877776@lid';
    const pn = '6285611112222@s.whatsapp.net';
    await fake.sendText({ from: pn, text: 'halo dari nomor HP', pushName: 'Pak Darto' });
    await fake.sendText({ from: lid, text: 'halo dari akun yang sama', pushName: 'Pak Darto' });
    const darto = async () => (await inbox()).filter((t) => t.contact.displayName === 'Pak Darto');
    await waitUntil(async () => (await darto()).length === 2, { timeoutMs: 15_000 });
    expect(new Set((await darto()).map((t) => t.contact.id)).size).toBe(2);
    await fake.sendLidMapping({ lid, pn });
    await waitUntil(async () => new Set((await darto()).map((t) => t.contact.id)).size === 1, {
      timeoutMs: 15_000,
      message: 'the contacts were not merged',
    });
  });

  it('shows the true state when WhatsApp is switched off', async () => {
    const off = await loket.api('PATCH', '/v1/admin/channels/whatsapp', ADMIN_TOKEN, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, status: 'disabled' });
  });
});
