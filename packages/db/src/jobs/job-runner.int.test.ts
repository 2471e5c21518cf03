import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRepositories, type Repositories } from '../repositories/create-repositories.ts';
import { citizenMessage, deliveryJobs, receive } from '../repositories/test-fixtures.ts';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { startJobRunner } from './job-runner.ts';
import { SLA_SWEEP_QUEUE } from './pg-boss-sql.ts';

const quiet = { warn: () => {}, error: () => {} };
const WAIT = { timeout: 15_000, interval: 100 };

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('the job queue runner on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  it('runs a periodic job at start and again, never two runs at once across runners', async () => {
    const [first, second] = [
      await startJobRunner(db.jobs, { logger: quiet }),
      await startJobRunner(db.jobs, { logger: quiet }),
    ];
    let runs = 0;
    let inFlight = 0;
    let overlapped = false;
    const work = async () => {
      inFlight += 1;
      overlapped ||= inFlight > 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      runs += 1;
      inFlight -= 1;
    };
    const jobs = [
      await first.every(SLA_SWEEP_QUEUE, 300, work),
      await second.every(SLA_SWEEP_QUEUE, 300, work),
    ];
    await vi.waitFor(() => expect(runs).toBeGreaterThanOrEqual(3), WAIT);
    for (const job of jobs) await job.stop();
    await first.stop();
    await second.stop();
    expect(overlapped).toBe(false);
  });

  it('refuses a queue the migrations did not create', async () => {
    const runner = await startJobRunner(db.jobs, { logger: quiet });
    try {
      await expect(runner.every('no-such-queue', 1000, async () => {})).rejects.toThrow(/does not exist/);
    } finally {
      await runner.stop();
    }
  });

  it('hands a delivery whose worker died out again, and fails visibly one that kept dying', async () => {
    const received = await receive(repos.inbox, citizenMessage());
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const ack = received.replies[0]!;
    const [claimed] = await repos.deliveryQueue.claimDue({ limit: 10, channels: ['telegram'] });
    expect(claimed).toMatchObject({ messageId: ack.id, attempts: 0 });

    // The worker "dies" holding the job: shorten its lease and retry delay so the test need not wait.
    await db.prisma.$executeRaw`
      UPDATE pgboss.job SET expire_in = interval '1 second', retry_delay = 0, retry_backoff = false,
        started_on = now() - interval '1 minute'
      WHERE name = 'delivery-telegram'`;
    const runner = await startJobRunner(db.jobs, { logger: quiet, maintenanceIntervalSeconds: 1 });
    try {
      const again = await vi.waitFor(async () => {
        const [task] = await repos.deliveryQueue.claimDue({ limit: 10, channels: ['telegram'] });
        expect(task).toBeDefined();
        return task!;
      }, WAIT);
      expect(again).toMatchObject({ messageId: ack.id, attempts: 0 });

      // It dies again, and pg-boss has no retries left: the job goes to the dead letter queue.
      await db.prisma.$executeRaw`
        UPDATE pgboss.job SET started_on = now() - interval '1 minute', retry_count = retry_limit
        WHERE name = 'delivery-telegram' AND state = 'active'`;
      await vi.waitFor(async () => {
        expect(await repos.deliveryQueue.failAbandoned({ limit: 10, at: new Date() })).toBe(1);
      }, WAIT);
    } finally {
      await runner.stop();
    }
    const message = (await repos.tickets.listMessages(ack.ticketId)).find((m) => m.id === ack.id);
    expect(message).toMatchObject({ deliveryStatus: 'failed' });
    expect(message?.error).toMatch(/^Loket could not finish sending it/);
    expect(await deliveryJobs(db.prisma)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ messageId: ack.id, queue: 'delivery-telegram', state: 'failed' }),
      ]),
    );
  });
});
