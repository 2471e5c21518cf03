import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_OFFICE_POLICY, silentLogger, systemClock } from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase, testDatabaseKinds } from '@loket/db';
import { type FakeTelegram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../src/index.ts';
import { fakeTelegramFactories } from './fake-telegram-factories.ts';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))(
  'two gateways sharing channels by lease on %s',
  (kind) => {
    let db: TestDatabase;
    let fake: FakeTelegram;
    let mediaDir: string;
    const gateways: Gateway[] = [];

    beforeEach(async () => {
      db = await openTestDatabase(kind, process.env.DATABASE_URL);
      fake = await startFakeTelegram();
      mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-media-'));
      const repos = createRepositories(db);
      await repos.channelSettings.setEnabled('telegram', true);
      for (const owner of ['gateway-a', 'gateway-b']) {
        gateways.push(
          await startGateway({
            jobs: await db.jobRunner(),
            store: repos.inbox,
            deliveryQueue: repos.deliveryQueue,
            channelSettings: repos.channelSettings,
            policy: { current: async () => DEFAULT_OFFICE_POLICY },
            clock: systemClock,
            logger: silentLogger,
            factories: fakeTelegramFactories(fake),
            mediaDir,
            channelReconcileIntervalMs: 100,
            channelLeases: { store: repos.channelLeases, owner, ttlMs: 1000 },
          }),
        );
      }
    });
    afterEach(async () => {
      for (const gateway of gateways.splice(0)) await gateway.stop();
      await fake.close();
      await db.close();
      await rm(mediaDir, { recursive: true, force: true });
    });

    const runners = () => gateways.filter((g) => g.supervisor.runningChannels().includes('telegram'));

    it('runs the channel on exactly one of them, and on the other once the first stops', async () => {
      await waitUntil(() => runners().length === 1, { timeoutMs: 10_000 });
      // Several reconciles later, still one: the holder renews, the other keeps out.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(runners()).toHaveLength(1);
      const [first] = runners();
      const other = gateways.find((g) => g !== first) as Gateway;
      const holderOf = async (gateway: Gateway) =>
        (await gateway.supervisor.list()).find((c) => c.channel === 'telegram')?.runningOn;
      const before = await holderOf(first as Gateway);
      expect(before).toMatch(/^gateway-[ab]$/);
      await first?.stop();
      await waitUntil(() => other.supervisor.runningChannels().includes('telegram'), { timeoutMs: 10_000 });
      const after = before === 'gateway-a' ? 'gateway-b' : 'gateway-a';
      await waitUntil(async () => (await holderOf(other)) === after, { timeoutMs: 10_000 });
    });
  },
);
