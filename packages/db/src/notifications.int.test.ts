import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_CHANNEL } from './notifications.ts';
import { createRepositories } from './repositories/create-repositories.ts';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from './testing.ts';

const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling every 20 ms, or fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await settle(20);
  }
}

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('delivery announcements on %s', (kind) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
  });
  afterEach(() => db.close());

  /** Queues one delivery in an inbox transaction; `rollBack` throws after queueing it. */
  const queue = async (options: { delayMs?: number; rollBack?: boolean } = {}) => {
    const repos = createRepositories(db);
    await repos.inbox
      .transaction(async (tx) => {
        await tx.queueDeliveries([
          {
            messageId: crypto.randomUUID(),
            channel: 'telegram',
            ...(options.delayMs ? { delayMs: options.delayMs } : {}),
          },
        ]);
        if (options.rollBack) throw new Error('rolled back on purpose');
      })
      .catch((error: Error) => {
        if (!options.rollBack) throw error;
      });
  };

  it('announces a delivery due now when its transaction commits, and only then', async () => {
    let heard = 0;
    const unlisten = await db.listen(DELIVERY_CHANNEL, () => {
      heard += 1;
    });
    await queue({ rollBack: true });
    await queue({ delayMs: 60_000 }); // a retry later is the worker's own business
    await settle();
    expect(heard).toBe(0);

    await queue();
    await until(() => heard === 1);

    await unlisten();
    await queue();
    await settle();
    expect(heard).toBe(1);
  });
});

describe.runIf(process.env.DATABASE_URL)(
  'delivery announcements on postgres, across a broken connection',
  () => {
    let db: TestDatabase;
    beforeEach(async () => {
      db = await openTestDatabase('postgres', process.env.DATABASE_URL);
    });
    afterEach(() => db.close());

    it('listens again after the server ends its connection, and wakes once to catch up', async () => {
      let heard = 0;
      const errors: unknown[] = [];
      await db.listen(
        DELIVERY_CHANNEL,
        () => {
          heard += 1;
        },
        (error) => errors.push(error),
      );
      const listener = async () =>
        db.prisma.$queryRaw<{ pid: number }[]>`
        SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`;
      const [first] = await listener();
      expect(first).toBeDefined();

      await db.prisma.$queryRaw`SELECT pg_terminate_backend(${first?.pid})`;
      // The catch-up wake-up: whatever was queued while nobody listened is looked for at once.
      await until(() => heard === 1);
      expect(errors.length).toBeGreaterThan(0);
      const [second] = await listener();
      expect(second?.pid).not.toBe(first?.pid);

      await createRepositories(db).inbox.transaction((tx) =>
        tx.queueDeliveries([{ messageId: crypto.randomUUID(), channel: 'telegram' }]),
      );
      await until(() => heard === 2);
      await db.close(); // ends the listener too: nothing keeps the process alive
    });
  },
);
