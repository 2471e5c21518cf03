import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_OFFICE_POLICY,
  type Logger,
  mergeOfficePolicy,
  replyToTicket,
  silentLogger,
  systemClock,
} from '@loket/core';
import {
  createRepositories,
  type Database,
  DELIVERY_CHANNEL,
  openDatabase,
  openTestDatabase,
  type TestDatabase,
  testDatabaseKinds,
} from '@loket/db';
import { type FakeTelegram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../src/index.ts';
import { fakeTelegramFactories } from './fake-telegram-factories.ts';

const ALWAYS_OPEN = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
  serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' },
});

// The worker's own poll is a minute here: a reply that reaches the citizen within seconds was woken by
// the database's announcement, not found by a poll.
const SLOW_POLL_MS = 60_000;

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('delivery announcements on %s', (kind) => {
  let db: TestDatabase;
  /** The "API node": on PostgreSQL a second connection pool, as another process would have. */
  let apiNode: Database;
  let fake: FakeTelegram;
  let gateway: Gateway;
  let mediaDir: string;
  const warnings: unknown[][] = [];

  beforeEach(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    apiNode = kind === 'postgres' ? await openDatabase({ url: urlOf(db) }) : db;
    fake = await startFakeTelegram();
    mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-announce-'));
    warnings.length = 0;
    const logger: Logger = { ...silentLogger, warn: (...args: unknown[]) => void warnings.push(args) };
    const repos = createRepositories(db);
    gateway = await startGateway({
      jobs: await db.jobRunner(),
      store: repos.inbox,
      deliveryQueue: repos.deliveryQueue,
      channelSettings: repos.channelSettings,
      policy: { current: async () => ALWAYS_OPEN },
      clock: systemClock,
      logger: { ...logger, child: () => logger },
      factories: fakeTelegramFactories(fake),
      mediaDir,
      deliveryPollIntervalMs: SLOW_POLL_MS,
      deliveryAnnouncements: (onQueued, onError) => db.listen(DELIVERY_CHANNEL, onQueued, onError),
    });
  });
  afterEach(async () => {
    await gateway.stop();
    await fake.close();
    if (apiNode !== db) await apiNode.close();
    await db.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  it("sends a reply queued by another process at once, not at the worker's next poll", async () => {
    await gateway.supervisor.setEnabled('telegram', true);
    fake.pushTextMessage({ fromId: 901, firstName: 'Sri', text: 'mau tanya syarat KK' });
    const api = createRepositories(apiNode);
    await waitUntil(async () => (await api.tickets.listTickets({ limit: 1 })).items.length === 1, {
      timeoutMs: 10_000,
    });
    const [ticket] = (await api.tickets.listTickets({ limit: 1 })).items;
    // The acknowledgement goes out first (the inbound pipeline wakes the worker in this process); then
    // the worker finds nothing more and sleeps its minute.
    await waitUntil(
      async () =>
        (await api.tickets.listMessages(ticket?.id ?? '')).some(
          (m) => m.automated && m.deliveryStatus === 'sent',
        ),
      { timeoutMs: 10_000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const officer = await api.users.create({ name: 'O', email: 'o@x.id', role: 'officer', tokenHash: 'h' });
    const queuedAt = Date.now();
    const reply = await replyToTicket({
      store: api.inbox,
      clock: systemClock,
      ticketId: ticket?.id ?? '',
      authorId: officer.id,
      text: 'Syaratnya KTP dan surat nikah',
    });
    // Nobody calls gateway.delivery.wake(): only the announcement can start the worker before a minute.
    await waitUntil(
      async () =>
        (await api.tickets.listMessages(ticket?.id ?? '')).find((m) => m.id === reply.id)?.deliveryStatus ===
        'sent',
      { timeoutMs: 15_000 },
    );
    expect(Date.now() - queuedAt).toBeLessThan(SLOW_POLL_MS / 4);
    expect(fake.sent.filter((s) => s.text === 'Syaratnya KTP dan surat nikah')).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});

/** The PostgreSQL test database's URL, as the job queue connects to it. */
function urlOf(db: TestDatabase): string {
  if (!('connectionString' in db.jobs)) throw new Error('a PostgreSQL test database has a connection string');
  return db.jobs.connectionString;
}
