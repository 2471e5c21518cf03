import { type FakeInstagram, type FakeInstagramUser, startFakeInstagram, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const citizen: FakeInstagramUser = { pk: '51234567890', username: 'ratna.sari', fullName: 'Ratna Sari' };

describe('end to end: Instagram DMs through instagram-private-api', () => {
  let fake: FakeInstagram;
  let loket: LoketProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    fake = await startFakeInstagram();
    env = {
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      INSTAGRAM_USERNAME: fake.account.username,
      INSTAGRAM_PASSWORD: fake.account.password,
      INSTAGRAM_API_ROOT: fake.apiRoot,
      INSTAGRAM_POLL_INTERVAL_MS: '200',
    };
    loket = await startLoketProcess(env);
  }, 90_000);
  afterAll(async () => {
    await loket?.stop();
    await fake?.close();
  });

  const instagramStatus = async () =>
    (await loket.api('GET', '/v1/admin/channels', ADMIN_TOKEN)).body.items.find(
      (c: JsonBody) => c.channel === 'instagram',
    );
  const tickets = async () =>
    (await loket.api('GET', '/v1/tickets?channel=instagram', ADMIN_TOKEN)).body.items;
  const messagesOf = async (ticketId: string) =>
    (await loket.api('GET', `/v1/tickets/${ticketId}/messages`, ADMIN_TOKEN)).body.items as JsonBody[];

  it('logs in when the admin switches Instagram on, and shows it connected', async () => {
    expect((await instagramStatus()).status).toBe('disabled');
    const enabled = await loket.api('PATCH', '/v1/admin/channels/instagram', ADMIN_TOKEN, { enabled: true });
    expect(enabled.status).toBe(200);
    await waitUntil(async () => (await instagramStatus()).status === 'connected', { timeoutMs: 15_000 });
    expect((await instagramStatus()).detail).toContain(fake.account.username);
    expect(fake.loginCalls).toBe(1);
  });

  it('turns a DM into a ticket, acknowledges it, and delivers an officer’s reply', async () => {
    fake.pushText(citizen, 'Selamat pagi, mau urus akta kelahiran anak');
    await waitUntil(async () => (await tickets()).length === 1, { timeoutMs: 15_000 });
    const [ticket] = await tickets();
    expect(ticket).toMatchObject({
      channel: 'instagram',
      service: 'AKTA_KELAHIRAN',
      contact: { displayName: 'Ratna Sari' },
      replyWindowEndsAt: null,
    });
    await waitUntil(() => fake.sent.some((s) => s.text?.includes(ticket.number)), { timeoutMs: 15_000 });

    const reply = await loket.api('POST', `/v1/tickets/${ticket.id}/replies`, ADMIN_TOKEN, {
      text: 'Baik Bu Ratna, silakan siapkan surat keterangan lahir dan KK.',
      attachments: [
        {
          name: 'formulir-F2.01.pdf',
          mime: 'application/pdf',
          contentBase64: Buffer.from('%PDF-1.4').toString('base64'),
        },
      ],
    });
    expect(reply.status).toBe(202);
    await waitUntil(
      async () =>
        (await messagesOf(ticket.id)).find((m) => m.id === reply.body.id)?.deliveryStatus === 'sent',
      {
        timeoutMs: 15_000,
      },
    );
    const texts = fake.sent.filter((s) => s.kind === 'text').map((s) => s.text ?? '');
    expect(texts.some((t) => t.startsWith('Baik Bu Ratna'))).toBe(true);
    expect(texts.some((t) => t.includes('formulir-F2.01.pdf'))).toBe(true); // the notice instead of the file
    const sent = (await messagesOf(ticket.id)).find((m) => m.id === reply.body.id);
    expect(sent.error).toContain('formulir-F2.01.pdf');
  });

  it('restarts on the saved session: no new login, nothing taken twice, new messages still arrive', async () => {
    await loket.stop({ keepData: true });
    fake.pushText(citizen, 'sudah saya siapkan berkasnya');
    loket = await startLoketProcess(env, { dataDir: loket.dataDir });
    await waitUntil(async () => (await instagramStatus()).status === 'connected', { timeoutMs: 15_000 });
    const [ticket] = await tickets();
    await waitUntil(
      async () => (await messagesOf(ticket.id)).some((m) => m.text === 'sudah saya siapkan berkasnya'),
      { timeoutMs: 15_000 },
    );
    const inbound = (await messagesOf(ticket.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.text)).toEqual([
      'Selamat pagi, mau urus akta kelahiran anak',
      'sudah saya siapkan berkasnya',
    ]);
    expect(fake.loginCalls).toBe(1);
  });
});
