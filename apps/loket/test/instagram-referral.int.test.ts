import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInstagramGraphChannel, type MetaChannel } from '@loket/channel-meta';
import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy, silentLogger, systemClock } from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase, testDatabaseKinds } from '@loket/db';
import { type Gateway, startGateway } from '@loket/gateway';
import {
  type FakeGraph,
  instagramMessaging,
  instagramWebhook,
  signedWebhookRequest,
  startFakeGraph,
  waitUntil,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// An ig.me/m/<account>?ref=<code> link opened without writing: Instagram sends a `referral` event on
// its own, and the citizen's first message comes later without the code. Through the real adapter
// and gateway, on both databases.

const APP_SECRET = 'ig-referral-app-secret-0123';
const SITI = '6543210987654321';
const BUDI = '7012345678901234';
const ALWAYS_OPEN = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
  serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' },
});

describe.each(testDatabaseKinds(process.env.DATABASE_URL))(
  'Instagram referral before the first message on %s',
  (kind) => {
    let db: TestDatabase;
    let repos: ReturnType<typeof createRepositories>;
    let graph: FakeGraph;
    let gateway: Gateway;
    let mediaDir: string;

    beforeEach(async () => {
      db = await openTestDatabase(kind, process.env.DATABASE_URL);
      repos = createRepositories(db);
      graph = await startFakeGraph();
      graph.addInstagramUser(SITI, { name: 'Siti Rahayu', username: 'sitirahayu' });
      mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-media-'));
      gateway = await startGateway({
        jobs: await db.jobRunner(),
        store: repos.inbox,
        deliveryQueue: repos.deliveryQueue,
        channelSettings: repos.channelSettings,
        policy: { current: async () => ALWAYS_OPEN },
        clock: systemClock,
        logger: silentLogger,
        factories: {
          'instagram-graph': () =>
            createInstagramGraphChannel({
              accessToken: graph.instagramAccessToken,
              accountId: graph.igAccountId,
              appSecret: APP_SECRET,
              verifyToken: 'ig-verify',
              graphApiRoot: graph.apiRoot,
            }),
        },
        mediaDir,
        deliveryPollIntervalMs: 100,
      });
      await gateway.supervisor.setEnabled('instagram-graph', true);
      await waitUntil(async () => {
        const view = (await repos.channelSettings.list()).find((c) => c.channel === 'instagram-graph');
        return view?.status === 'connected';
      });
    });
    afterEach(async () => {
      await gateway.stop();
      await graph.close();
      await db.close();
      await rm(mediaDir, { recursive: true, force: true });
    });

    const post = async (...messaging: Parameters<typeof instagramWebhook>[0]['messaging']) => {
      const adapter = gateway.supervisor.adapterOf('instagram-graph') as MetaChannel;
      const payload = instagramWebhook({ accountId: graph.igAccountId, messaging });
      return (await adapter.handleWebhook(signedWebhookRequest(payload, APP_SECRET))).status;
    };
    const contacts = () =>
      db.prisma.contact.findMany({ include: { identities: true }, orderBy: { createdAt: 'asc' } });

    it('keeps the banner of a referral on the contact and credits the ticket of the first message', async () => {
      expect(await post(instagramMessaging.referral({ from: SITI, ref: 'BEJI--Kukusan' }))).toBe(200);
      // Redelivered by Meta, and a later banner: the first one stays.
      expect(await post(instagramMessaging.referral({ from: SITI, ref: 'beji--kukusan' }))).toBe(200);
      expect(await post(instagramMessaging.referral({ from: SITI, ref: 'cinere--gandul' }))).toBe(200);
      expect(await db.prisma.ticket.count()).toBe(0);
      expect(await db.prisma.message.count()).toBe(0);
      const [remembered, ...others] = await contacts();
      expect(others).toEqual([]);
      expect(remembered).toMatchObject({
        displayName: 'Siti Rahayu',
        sourceCode: 'beji--kukusan',
        identities: [{ channel: 'instagram-graph', externalUserId: SITI, handle: 'sitirahayu' }],
      });

      expect(await post(instagramMessaging.text({ from: SITI, text: 'kak mau tanya syarat KIA' }))).toBe(200);
      const { items } = await repos.tickets.listTickets({ limit: 10 });
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ sourceCode: 'beji--kukusan', contactId: remembered?.id });
      expect((await contacts()).map((c) => [c.id, c.sourceCode])).toEqual([
        [remembered?.id, 'beji--kukusan'],
      ]);
      // The ticket's acknowledgement goes out as usual (the referral wrote no message, so sent nothing).
      await waitUntil(() => graph.instagramMessages.length > 0, { timeoutMs: 10_000 });
      expect(new Set(graph.instagramMessages.map((m) => m.recipientId))).toEqual(new Set([SITI]));

      const today = new Date();
      const figures = await repos.reports.summaryFigures({
        from: new Date(today.getTime() - 3_600_000),
        to: new Date(today.getTime() + 3_600_000),
        now: today,
        timezone: ALWAYS_OPEN.timezone,
      });
      expect(figures.ticketsBySource).toEqual([{ key: 'beji--kukusan', count: 1 }]);
    });

    it('ignores a referral with an unknown code: no contact, and the first message has no source', async () => {
      expect(await post(instagramMessaging.referral({ from: BUDI, ref: 'KEL-ATLANTIS' }))).toBe(200);
      expect(await contacts()).toEqual([]);
      expect(await post(instagramMessaging.text({ from: BUDI, text: 'halo' }))).toBe(200);
      const { items } = await repos.tickets.listTickets({ limit: 10 });
      expect(items.map((t) => t.sourceCode)).toEqual([null]);
    });

    it('lets a code on the message name its ticket, while the contact keeps the remembered banner', async () => {
      expect(await post(instagramMessaging.referral({ from: SITI, ref: 'beji--kukusan' }))).toBe(200);
      expect(await post(instagramMessaging.text({ from: SITI, text: 'halo', ref: 'cinere--gandul' }))).toBe(
        200,
      );
      const { items } = await repos.tickets.listTickets({ limit: 10 });
      expect(items.map((t) => t.sourceCode)).toEqual(['cinere--gandul']);
      expect((await contacts()).map((c) => c.sourceCode)).toEqual(['beji--kukusan']);
    });
  },
);
