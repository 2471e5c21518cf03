import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, openMigratedDatabase } from './client.ts';
import { migrateDeploy } from './migrate/migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, migrationNames } from './migrate/migration-files.ts';
import { createRepositories } from './repositories/create-repositories.ts';
import { citizenMessage, receive } from './repositories/test-fixtures.ts';
import { openTestDatabase, testDatabaseKinds } from './testing.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'loket-client-test-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const citizen = (i: number) =>
  citizenMessage({
    externalMessageId: `${i}:1`,
    externalUserId: `${i}`,
    externalThreadId: `${i}`,
    displayName: `Warga ${i}`,
  });

/** PGlite in a real data directory (as `loket start` runs it); PostgreSQL in a test database. */
async function open(kind: 'pglite' | 'postgres'): Promise<Database> {
  if (kind === 'postgres') return openTestDatabase('postgres', process.env.DATABASE_URL);
  await migrateDeploy({ target: { kind: 'pglite', dataDir } });
  return openDatabase({ dataDir });
}

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('the client on %s', (kind) => {
  it('takes a burst of concurrent transactions without failing, deadlocking or mixing them up', async () => {
    const database = await open(kind);
    expect(database.kind).toBe(kind);
    const repos = createRepositories(database);
    try {
      // 150 first messages (each a transaction of a dozen statements), reads, queue claims and one
      // transaction that fails, all at once.
      const started = performance.now();
      const results = await Promise.allSettled([
        ...Array.from({ length: 150 }, (_, i) => receive(repos.inbox, citizen(1000 + i))),
        ...Array.from({ length: 10 }, () => repos.tickets.listTickets({ limit: 5 })),
        repos.inbox.transaction(async (tx) => {
          await tx.nextTicketSequence(1999);
          throw new Error('rolled back on purpose');
        }),
        repos.deliveryQueue.claimDue({ limit: 20, channels: ['telegram'] }),
      ]);
      console.info(
        `${kind}: 150 receiveMessage + 12 other operations in ${Math.round(performance.now() - started)} ms`,
      );
      const failures = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
      expect(failures).toEqual(['Error: rolled back on purpose']);
      expect(await database.prisma.ticket.count()).toBe(150);
      expect(await database.prisma.ticketCounter.findUnique({ where: { year: 1999 } })).toBeNull();
      expect(await database.prisma.ticketCounter.findUnique({ where: { year: 2026 } })).toEqual({
        year: 2026,
        value: 150,
      });
    } finally {
      await database.close();
    }
  }, 120_000);

  it.runIf(kind === 'pglite')(
    'keeps the data in DATA_DIR across a close and reopen',
    async () => {
      const reopened = await open('pglite');
      try {
        expect(await reopened.prisma.message.count({ where: { direction: 'inbound' } })).toBe(150);
      } finally {
        await reopened.close();
      }
    },
    60_000,
  );
});

describe('the embedded data directory', () => {
  it('can be opened by one process at a time; a second open says who has it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loket-lock-test-'));
    try {
      const first = await openDatabase({ dataDir: dir });
      await expect(openDatabase({ dataDir: dir })).rejects.toThrow(`in use by process ${process.pid}`);
      await expect(migrateDeploy({ target: { kind: 'pglite', dataDir: dir } })).rejects.toThrow(/in use/);
      await first.close();
      const again = await openDatabase({ dataDir: dir });
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('migrates and opens in one go at boot, loading the engine only the first time', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'loket-boot-test-'));
    try {
      const first = await openMigratedDatabase({ kind: 'pglite', dataDir: dir });
      expect(first.migration.applied).toEqual(migrationNames(DEFAULT_MIGRATIONS_DIR));
      expect(first.migration.applied.length).toBeGreaterThan(0);
      expect(await first.prisma.user.count()).toBe(0);
      await first.close();

      const started = performance.now();
      const second = await openMigratedDatabase({ kind: 'pglite', dataDir: dir });
      console.info(`pglite: boot with nothing to migrate in ${Math.round(performance.now() - started)} ms`);
      expect(second.migration).toEqual({ applied: [], engineLoaded: false });
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
