import {
  type FakeGraph,
  freePort,
  instagramMessaging,
  instagramWebhook,
  postSignedWebhook,
  startFakeGraph,
  waitUntil,
  whatsappContact,
  whatsappMessages,
  whatsappStatuses,
  whatsappWebhook,
} from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const WA_SECRET = 'wa-cloud-app-secret-0123';
const IG_SECRET = 'ig-graph-app-secret-0123';
const WA_VERIFY = 'wa-verify-token-0123';
const HOUR = 3_600_000;

describe('end to end: WhatsApp Cloud API and Instagram messaging (Graph) webhooks', () => {
  let graph: FakeGraph;
  let loket: LoketProcess;
  let base: string;

  beforeAll(async () => {
    graph = await startFakeGraph();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    loket = await startLoketProcess({
      PORT: String(port),
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      WHATSAPP_CLOUD_ACCESS_TOKEN: graph.accessToken,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: WA_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: WA_VERIFY,
      WHATSAPP_CLOUD_API_ROOT: graph.apiRoot,
      INSTAGRAM_GRAPH_ACCESS_TOKEN: graph.instagramAccessToken,
      INSTAGRAM_GRAPH_ACCOUNT_ID: graph.igAccountId,
      INSTAGRAM_GRAPH_APP_SECRET: IG_SECRET,
      INSTAGRAM_GRAPH_VERIFY_TOKEN: 'ig-verify-token-0123',
      INSTAGRAM_GRAPH_API_ROOT: graph.apiRoot,
      INSTAGRAM_GRAPH_HUMAN_AGENT: 'true',
    });
  }, 90_000);
  afterAll(async () => {
    await loket?.stop();
    await graph?.close();
  });

  const channelView = async (channel: string) =>
    (await loket.api('GET', '/v1/admin/channels', ADMIN_TOKEN)).body.items.find(
      (c: JsonBody) => c.channel === channel,
    );
  const ticketsOf = async (channel: string) =>
    (await loket.api('GET', `/v1/tickets?channel=${channel}`, ADMIN_TOKEN)).body.items as JsonBody[];
  const messagesOf = async (ticketId: string) =>
    (await loket.api('GET', `/v1/tickets/${ticketId}/messages`, ADMIN_TOKEN)).body.items as JsonBody[];
  const waPost = (payload: unknown, tamper?: 'body' | 'signature' | 'unsigned') =>
    postSignedWebhook(`${base}/webhooks/whatsapp-cloud`, payload, WA_SECRET, tamper ? { tamper } : {});

  it('answers Meta’s subscription check from the configuration, even while the channel is off', async () => {
    const check = (token: string) =>
      fetch(
        `${base}/webhooks/whatsapp-cloud?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`,
      );
    const good = await check(WA_VERIFY);
    expect(good.status).toBe(200);
    expect(await good.text()).toBe('1158201444');
    expect((await check('guessed-token')).status).toBe(403);
  });

  it('refuses events while the channel is off (503), so Meta redelivers them later', async () => {
    const payload = whatsappWebhook({
      phoneNumberId: graph.phoneNumberId,
      messages: [whatsappMessages.text({ from: '6281311112222', body: 'halo' })],
    });
    expect((await waPost(payload)).status).toBe(503);
    expect(await ticketsOf('whatsapp-cloud')).toEqual([]);
  });

  it('shows a true status when the admin switches both channels on', async () => {
    for (const channel of ['whatsapp-cloud', 'instagram-graph']) {
      const enabled = await loket.api('PATCH', `/v1/admin/channels/${channel}`, ADMIN_TOKEN, {
        enabled: true,
      });
      expect(enabled.status).toBe(200);
      await waitUntil(async () => (await channelView(channel))?.status === 'connected', {
        timeoutMs: 10_000,
      });
    }
    expect((await channelView('whatsapp-cloud')).detail).toContain(graph.displayPhoneNumber);
    expect((await channelView('instagram-graph')).detail).toContain(graph.igUsername);
  });

  it('refuses a wrong or missing signature (401) and processes nothing', async () => {
    const payload = whatsappWebhook({
      phoneNumberId: graph.phoneNumberId,
      messages: [whatsappMessages.text({ from: '6281399990000', body: 'forged' })],
    });
    for (const tamper of ['body', 'signature', 'unsigned'] as const) {
      const response = await waPost(payload, tamper);
      expect(response.status, tamper).toBe(401);
      expect(JSON.parse(response.body).error.code).toBe('UNAUTHORIZED');
    }
    expect(await ticketsOf('whatsapp-cloud')).toEqual([]);
  });

  it('stores a WhatsApp message before the 200, once, replies, and follows the delivery reports', async () => {
    const from = '6281311112222';
    const payload = whatsappWebhook({
      phoneNumberId: graph.phoneNumberId,
      contacts: [whatsappContact(from, 'Sri Wahyuni')],
      messages: [whatsappMessages.text({ from, id: 'wamid.e2e-1', body: 'mau urus akta kelahiran anak' })],
    });
    expect((await waPost(payload)).status).toBe(200);
    const [ticket] = await ticketsOf('whatsapp-cloud'); // stored before the 200: no waiting
    expect(ticket).toMatchObject({ service: 'AKTA_KELAHIRAN', contact: { displayName: 'Sri Wahyuni' } });
    expect(Date.parse(ticket.replyWindowEndsAt) - Date.now()).toBeGreaterThan(23 * HOUR);
    expect((await waPost(payload)).status).toBe(200); // Meta's retry
    expect((await messagesOf(ticket.id)).filter((m) => m.direction === 'inbound')).toHaveLength(1);

    await waitUntil(
      () => graph.whatsappMessages.some((m) => m.to === from && m.text?.includes(ticket.number)),
      {
        timeoutMs: 10_000,
      },
    );
    const reply = await loket.api('POST', `/v1/tickets/${ticket.id}/replies`, ADMIN_TOKEN, {
      text: 'Baik Bu, silakan kirim foto KK dan surat keterangan lahir.',
    });
    expect(reply.status).toBe(202);
    await waitUntil(
      async () => (await messagesOf(ticket.id)).some((m) => m.id === reply.body.id && m.sentAt),
      {
        timeoutMs: 10_000,
      },
    );
    const sent = graph.whatsappMessages.find((m) => m.text?.startsWith('Baik Bu'));
    expect(sent?.to).toBe(from);
    const report = (status: 'delivered' | 'read') =>
      waPost(
        whatsappWebhook({
          phoneNumberId: graph.phoneNumberId,
          statuses: [whatsappStatuses[status]({ id: sent?.id ?? '', recipientId: from })],
        }),
      );
    expect((await report('read')).status).toBe(200);
    expect((await report('delivered')).status).toBe(200); // late and out of order: stays read
    const stored = (await messagesOf(ticket.id)).find((m) => m.id === reply.body.id);
    expect(stored).toMatchObject({ deliveryStatus: 'read', error: null });
    expect((await loket.api('GET', `/v1/tickets/${ticket.id}`, ADMIN_TOKEN)).body.slaState).toBe('met');
  });

  it('refuses a reply once WhatsApp’s 24-hour window has closed (409 REPLY_WINDOW_CLOSED)', async () => {
    const from = '6281355556666';
    const written = new Date(Date.now() - 25 * HOUR);
    const payload = whatsappWebhook({
      phoneNumberId: graph.phoneNumberId,
      contacts: [whatsappContact(from, 'Pak Darmo')],
      messages: [whatsappMessages.text({ from, timestamp: written, body: 'surat pindah bagaimana?' })],
    });
    expect((await waPost(payload)).status).toBe(200);
    const ticket = (await ticketsOf('whatsapp-cloud')).find((t) => t.contact.displayName === 'Pak Darmo');
    expect(ticket.replyWindowEndsAt).toBe(
      new Date(Math.floor(written.getTime() / 1000) * 1000 + 24 * HOUR).toISOString(),
    );
    const reply = await loket.api('POST', `/v1/tickets/${ticket.id}/replies`, ADMIN_TOKEN, {
      text: 'Halo Pak',
    });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('REPLY_WINDOW_CLOSED');
  });

  it('takes an Instagram DM with its referral code and answers within the HUMAN_AGENT window', async () => {
    graph.addInstagramUser('6543210987654321', { name: 'Dewi Anggraini', username: 'dewi.angg' });
    const payload = instagramWebhook({
      accountId: graph.igAccountId,
      messaging: [
        instagramMessaging.text({
          from: '6543210987654321',
          mid: 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx',
          text: 'kak mau tanya syarat KIA',
          ref: 'beji--kukusan',
          timestamp: new Date(Date.now() - 30 * HOUR),
        }),
        instagramMessaging.echo({ to: '6543210987654321', text: 'our own message' }),
      ],
    });
    const posted = await postSignedWebhook(`${base}/webhooks/instagram-graph`, payload, IG_SECRET);
    expect(posted.status).toBe(200);
    const [ticket] = await ticketsOf('instagram-graph');
    expect(ticket).toMatchObject({ service: 'KIA', contact: { displayName: 'Dewi Anggraini' } });
    expect(Date.parse(ticket.replyWindowEndsAt) - Date.now()).toBeGreaterThan(5 * 24 * HOUR);
    const inbound = (await messagesOf(ticket.id)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.text)).toEqual(['kak mau tanya syarat KIA']);
    const reply = await loket.api('POST', `/v1/tickets/${ticket.id}/replies`, ADMIN_TOKEN, {
      text: 'Syarat KIA: akta kelahiran dan KK.',
    });
    expect(reply.status).toBe(202);
    await waitUntil(() => graph.instagramMessages.some((m) => m.text?.startsWith('Syarat KIA')), {
      timeoutMs: 10_000,
    });
    expect(graph.instagramMessages.find((m) => m.text?.startsWith('Syarat KIA'))).toMatchObject({
      recipientId: '6543210987654321',
      messagingType: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
    await waitUntil(
      async () => (await messagesOf(ticket.id)).some((m) => m.id === reply.body.id && m.sentAt),
      {
        timeoutMs: 10_000,
      },
    );
    const sentMid = graph.instagramMessages.find((m) => m.text?.startsWith('Syarat KIA'))?.id ?? '';
    const seen = instagramWebhook({
      accountId: graph.igAccountId,
      messaging: [instagramMessaging.read({ from: '6543210987654321', readMid: sentMid })],
    });
    expect((await postSignedWebhook(`${base}/webhooks/instagram-graph`, seen, IG_SECRET)).status).toBe(200);
    expect((await messagesOf(ticket.id)).find((m) => m.id === reply.body.id)?.deliveryStatus).toBe('read');
  });

  it('switches a channel off at runtime: events get 503 again and the status says disabled', async () => {
    const off = await loket.api('PATCH', '/v1/admin/channels/instagram-graph', ADMIN_TOKEN, {
      enabled: false,
    });
    expect(off.body).toMatchObject({ enabled: false, status: 'disabled' });
    const payload = instagramWebhook({
      accountId: graph.igAccountId,
      messaging: [instagramMessaging.text({ from: '6543210987654321', text: 'masih ada?' })],
    });
    expect((await postSignedWebhook(`${base}/webhooks/instagram-graph`, payload, IG_SECRET)).status).toBe(
      503,
    );
  });
});
