// Fuzz the platform webhooks of the real server (`pnpm start`) with the real adapters behind them:
// correctly signed but hostile updates reach the parsers; forged ones must never be processed.
// FUZZ_RUNS sets the number of cases (`pnpm test:reliability`: 10,000).
import {
  type FakeGraph,
  type FakeTelegram,
  freePort,
  instagramMessaging,
  instagramWebhook,
  signMetaBody,
  startCommandUpdate,
  startFakeGraph,
  startFakeTelegram,
  textMessageUpdate,
  waitUntil,
  whatsappContact,
  whatsappMessages,
  whatsappStatuses,
  whatsappWebhook,
} from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// fast-check is a dependency of apps/api only; its fuzz helpers come with it.
import {
  contentType,
  expectWellFormedRefusal,
  fc,
  fuzzRuns,
  hostileBody,
  mutatedJson,
  toJsonText,
} from '../../api/test/fuzz-arbitraries.ts';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';

const RUNS = fuzzRuns(300);
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const WA_SECRET = 'wa-cloud-app-secret-0123';
const IG_SECRET = 'ig-graph-app-secret-0123';
const TG_SECRET = 'e2e-webhook-secret_0123456789';
const FROM = '6281311112222';

type Target = { path: string; sign: (body: string) => Record<string, string>; payloads: unknown[] };

describe('fuzz the webhooks of the real server, with the real adapters', () => {
  let graph: FakeGraph;
  let telegram: FakeTelegram;
  let loket: LoketProcess;
  let targets: Target[];

  beforeAll(async () => {
    graph = await startFakeGraph();
    telegram = await startFakeTelegram();
    const port = await freePort();
    loket = await startLoketProcess({
      PORT: String(port),
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/webhooks/telegram`,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      WHATSAPP_CLOUD_ACCESS_TOKEN: graph.accessToken,
      WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
      WHATSAPP_CLOUD_APP_SECRET: WA_SECRET,
      WHATSAPP_CLOUD_VERIFY_TOKEN: 'wa-verify-token-0123',
      WHATSAPP_CLOUD_API_ROOT: graph.apiRoot,
      INSTAGRAM_GRAPH_ACCESS_TOKEN: graph.instagramAccessToken,
      INSTAGRAM_GRAPH_ACCOUNT_ID: graph.igAccountId,
      INSTAGRAM_GRAPH_APP_SECRET: IG_SECRET,
      INSTAGRAM_GRAPH_VERIFY_TOKEN: 'ig-verify-token-0123',
      INSTAGRAM_GRAPH_API_ROOT: graph.apiRoot,
    });
    for (const channel of ['telegram', 'whatsapp-cloud', 'instagram-graph']) {
      expect(
        (await loket.api('PATCH', `/v1/admin/channels/${channel}`, ADMIN_TOKEN, { enabled: true })).status,
      ).toBe(200);
      await waitUntil(
        async () =>
          (await loket.api('GET', '/v1/admin/channels', ADMIN_TOKEN)).body.items.find(
            (c: JsonBody) => c.channel === channel,
          )?.status === 'connected',
        { timeoutMs: 15_000 },
      );
    }
    graph.addInstagramUser('6543210987654321', { name: 'Dewi Anggraini', username: 'dewi.angg' });
    const wa = (messages: unknown[], statuses: unknown[] = []) =>
      whatsappWebhook({
        phoneNumberId: graph.phoneNumberId,
        contacts: [whatsappContact(FROM, 'Sri Wahyuni')],
        messages: messages as never,
        statuses: statuses as never,
      });
    targets = [
      {
        path: '/webhooks/telegram',
        sign: () => ({ 'x-telegram-bot-api-secret-token': TG_SECRET }),
        payloads: [
          {
            update_id: 7001,
            ...textMessageUpdate({ from: { id: 31337, firstName: 'Yanti' }, text: 'mau urus KIA' }),
          },
          {
            update_id: 7002,
            ...startCommandUpdate({ from: { id: 31338, firstName: 'Budi' }, code: 'beji--kukusan' }),
          },
        ],
      },
      {
        path: '/webhooks/whatsapp-cloud',
        sign: (body) => ({ 'x-hub-signature-256': signMetaBody(body, WA_SECRET) }),
        payloads: [
          wa([whatsappMessages.text({ from: FROM, body: 'mau urus akta' })]),
          wa([whatsappMessages.location({ from: FROM, latitude: -6.4, longitude: 106.8, name: 'Balai' })]),
          wa([whatsappMessages.contacts({ from: FROM, cards: [{ name: 'Budi Santoso', phone: '+62811' }] })]),
          wa([whatsappMessages.buttonReply({ from: FROM, buttonId: 'ya', title: 'Ya' })]),
          wa([], [whatsappStatuses.read({ id: 'wamid.unknown', recipientId: FROM })]),
        ],
      },
      {
        path: '/webhooks/instagram-graph',
        sign: (body) => ({ 'x-hub-signature-256': signMetaBody(body, IG_SECRET) }),
        payloads: [
          instagramWebhook({
            accountId: graph.igAccountId,
            messaging: [
              instagramMessaging.text({ from: '6543210987654321', text: 'syarat KIA', ref: 'beji--kukusan' }),
            ],
          }),
        ],
      },
    ];
  }, 120_000);
  afterAll(async () => {
    await loket?.stop();
    await graph?.close();
    await telegram?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`${loket.url}${path}`, { method: 'POST', headers, body });
  const inboundCount = async () => {
    let count = 0;
    for (const ticket of (await loket.api('GET', '/v1/tickets?limit=100', ADMIN_TOKEN)).body.items) {
      const messages = (await loket.api('GET', `/v1/tickets/${ticket.id}/messages`, ADMIN_TOKEN)).body.items;
      count += messages.filter((m: JsonBody) => m.direction === 'inbound').length;
    }
    return count;
  };
  const mutatedCase = () =>
    fc.constantFrom(...targets).chain((target) =>
      fc.record({
        target: fc.constant(target),
        body: fc.oneof(
          {
            weight: 5,
            arbitrary: fc
              .constantFrom(...target.payloads)
              .chain(mutatedJson)
              .map(toJsonText),
          },
          { weight: 1, arbitrary: hostileBody([]) },
        ),
        contentType,
      }),
    );

  it('never processes a forged body (401), whatever it holds', async () => {
    const before = await inboundCount();
    await fc.assert(
      fc.asyncProperty(mutatedCase(), fc.string({ maxLength: 80 }), async ({ target, body }, lie) => {
        // Signed for other bytes, or a made-up signature.
        const headers: Record<string, string> = {
          ...target.sign(`${body} `),
          'content-type': 'application/json',
        };
        if (lie && !target.path.endsWith('telegram')) headers['x-hub-signature-256'] = `sha256=${lie}`;
        if (target.path.endsWith('telegram')) headers['x-telegram-bot-api-secret-token'] = `${TG_SECRET}x`;
        const response = await post(target.path, body, headers);
        // Over the body limit it is refused before the signature is even looked at: unread, too.
        const expected = Buffer.byteLength(body) > 1024 * 1024 ? 'PAYLOAD_TOO_LARGE' : 'UNAUTHORIZED';
        expect(((await response.json()) as JsonBody).error.code, `${target.path} ${body.slice(0, 200)}`).toBe(
          expected,
        );
      }),
      { numRuns: Math.max(50, Math.round(RUNS / 5)) },
    );
    expect(await inboundCount()).toBe(before);
  }, 600_000);

  it('answers correctly signed hostile updates with 200 or a 4xx envelope, never 5xx, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedCase(), async ({ target, body, contentType: type }) => {
        const headers = { ...target.sign(body), ...(type ? { 'content-type': type } : {}) };
        const response = await post(target.path, body, headers);
        const logged = loket.output().length;
        await expectWellFormedRefusal(response, `${target.path} ${body.slice(0, 300)}`, {
          allowDesigned503: false,
        }).catch((error: Error) => {
          // What the server logged about it (LOG_LEVEL=warn): the cause of a 5xx.
          throw new Error(`${error.message}\n${loket.output().slice(Math.max(0, logged - 3000))}`);
        });
      }),
      { numRuns: RUNS },
    );
    expect((await fetch(`${loket.url}/healthz`)).status).toBe(200);
    const fresh = toJsonText(
      whatsappWebhook({
        phoneNumberId: graph.phoneNumberId,
        messages: [
          whatsappMessages.text({ from: '6281344445555', id: 'wamid.after-fuzz', body: 'masih hidup?' }),
        ],
      }),
    );
    expect((await post('/webhooks/whatsapp-cloud', fresh, targets[1]?.sign(fresh) ?? {})).status).toBe(200);
  }, 600_000);

  // Replays one after another are in meta.e2e.int.test.ts; these arrive together, as Meta's retries can.
  it('stores a correctly signed update once when it is replayed concurrently', async () => {
    const body = toJsonText(
      whatsappWebhook({
        phoneNumberId: graph.phoneNumberId,
        contacts: [whatsappContact('6281377778888', 'Pak Replay')],
        messages: [
          whatsappMessages.text({ from: '6281377778888', id: 'wamid.replay-1', body: 'surat pindah' }),
        ],
      }),
    );
    const headers = {
      'content-type': 'application/json',
      'x-hub-signature-256': signMetaBody(body, WA_SECRET),
    };
    const before = await inboundCount();
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async () => (await post('/webhooks/whatsapp-cloud', body, headers)).status),
    );
    expect(statuses).toEqual(Array(8).fill(200));
    expect(await inboundCount()).toBe(before + 1);
  });
});
