import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTelegramChannel } from '@loket/channel-telegram';
import {
  DEFAULT_OFFICE_POLICY,
  readChannelConfig,
  StoredChannelControl,
  silentLogger,
  systemClock,
} from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase, testDatabaseKinds } from '@loket/db';
import { type FakeTelegram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../src/index.ts';

/**
 * An API process that runs no channels changes the settings in the database; the gateway (here in
 * the same test process, but sharing nothing else) picks the change up at its next reconcile.
 */
describe.each(testDatabaseKinds(process.env.DATABASE_URL))(
  'channel control through the database on %s',
  (kind) => {
    let db: TestDatabase;
    let fake: FakeTelegram;
    let gateway: Gateway;
    let mediaDir: string;
    let api: StoredChannelControl;
    const pollTimeouts: number[] = [];

    beforeEach(async () => {
      db = await openTestDatabase(kind, process.env.DATABASE_URL);
      fake = await startFakeTelegram();
      mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-media-'));
      const gatewayRepos = createRepositories(db);
      gateway = await startGateway({
        jobs: await db.jobRunner(),
        store: gatewayRepos.inbox,
        deliveryQueue: gatewayRepos.deliveryQueue,
        channelSettings: gatewayRepos.channelSettings,
        policy: { current: async () => DEFAULT_OFFICE_POLICY },
        clock: systemClock,
        logger: silentLogger,
        factories: {
          telegram: (config) => {
            const { pollTimeoutSeconds = 1 } = readChannelConfig('telegram', config);
            pollTimeouts.push(pollTimeoutSeconds);
            return createTelegramChannel({
              token: fake.token,
              apiRoot: fake.apiRoot,
              mode: 'polling',
              pollTimeoutSeconds,
            });
          },
        },
        mediaDir,
        channelReconcileIntervalMs: 100,
      });
      api = new StoredChannelControl({
        settings: createRepositories(db).channelSettings,
        configured: (channel) => channel === 'telegram',
        clock: systemClock,
      });
    });
    afterEach(async () => {
      await gateway.stop();
      await fake.close();
      await db.close();
      await rm(mediaDir, { recursive: true, force: true });
      pollTimeouts.length = 0;
    });

    const status = async () => (await api.list()).find((c) => c.channel === 'telegram')?.status;

    it('starts polling when another process enables the channel, and stops when it disables it', async () => {
      expect(gateway.supervisor.runningChannels()).toEqual([]);
      await api.setEnabled('telegram', true);
      await waitUntil(() => fake.getUpdatesCalls.length > 0, { timeoutMs: 10_000 });
      await waitUntil(async () => (await status()) === 'connected', { timeoutMs: 10_000 });
      await api.setEnabled('telegram', false);
      await waitUntil(() => gateway.supervisor.runningChannels().length === 0, { timeoutMs: 10_000 });
      await waitUntil(async () => (await status()) === 'disabled', { timeoutMs: 10_000 });
      const calls = fake.getUpdatesCalls.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(fake.getUpdatesCalls.length).toBe(calls);
    });

    it('restarts a running channel with the settings an admin saved', async () => {
      await api.setEnabled('telegram', true);
      await waitUntil(() => pollTimeouts.length === 1, { timeoutMs: 10_000 });
      await api.configure('telegram', { pollTimeoutSeconds: 3 });
      await waitUntil(() => pollTimeouts.length === 2, { timeoutMs: 10_000 });
      expect(pollTimeouts).toEqual([1, 3]);
      await waitUntil(() => fake.getUpdatesCalls.some((call) => call.timeout === 3), { timeoutMs: 10_000 });
    });

    it('refuses to enable a channel this server has no credentials for', async () => {
      await expect(api.setEnabled('instagram', true)).rejects.toMatchObject({
        code: 'CHANNEL_NOT_CONFIGURED',
      });
    });
  },
);
