import type { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseKind, DatabaseTarget } from './database-target.ts';
import { PrismaClient } from './generated/prisma/client.ts';
import type { JobConnection } from './jobs/job-runner.ts';
import { pgliteExecutor } from './jobs/pglite-executor.ts';
import { type DeployResult, migrateDeploy } from './migrate/migrate.ts';
import type { MigrationSources } from './migrate/migration-files.ts';
import { type Listen, pgliteListen, postgresListen, type Unlisten } from './notifications.ts';
import { openPgliteDataDir, openPgliteDataDirLean } from './pglite-data-dir.ts';
import { pgliteReader, postgresReader, type SqlReader } from './sql-reader.ts';

export type Database = {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** Where the job queue's runner connects (see jobs/job-runner.ts). */
  jobs: JobConnection;
  /** Hot reads on the driver itself, beside Prisma (see sql-reader.ts). */
  reader: SqlReader;
  /** Wake-ups from other processes, such as a queued delivery (see notifications.ts). */
  listen: Listen;
  close(): Promise<void>;
};

/** `listen`, with every listener still open ended by `closeAll` (the database's close). */
function trackListeners(listen: Listen): { listen: Listen; closeAll(): Promise<void> } {
  const open = new Set<Unlisten>();
  return {
    async listen(channel, onNotify, onError) {
      const unlisten = await listen(channel, onNotify, onError);
      const tracked: Unlisten = () => {
        open.delete(tracked);
        return unlisten();
      };
      open.add(tracked);
      return tracked;
    },
    async closeAll() {
      await Promise.all([...open].map((unlisten) => unlisten()));
    },
  };
}

/** `{ dataDir }` for the embedded database, `{ url }` for PostgreSQL; a DatabaseTarget works as well. */
export type OpenDatabaseOptions = DatabaseTarget | { dataDir: string } | { url: string };

/**
 * How long a transaction may wait to start, and run once started.
 * - PostgreSQL: with Prisma's defaults (2 s, pool of 10), a burst of 300 concurrent messages failed
 *   226 of them with "Unable to start a transaction in the given time"; with these, none failed (5 s).
 * - PGlite is one connection: transactions queue inside PGlite and run one at a time, so they never
 *   interleave or deadlock. The wait in that queue is not bounded by maxWait (measured), only the run.
 */
const TRANSACTION_OPTIONS = {
  pglite: { maxWait: 30_000, timeout: 30_000 },
  postgres: { maxWait: 30_000, timeout: 15_000 },
} as const;

/**
 * Opens the Prisma client the process shares: embedded PGlite under `<dataDir>/pglite`, or PostgreSQL
 * through adapter-pg. It does not migrate: call `migrateDeploy` first.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if ('url' in options) return openPostgres(options.url);
  if (options.dataDir) {
    const db = openPgliteDataDir(options.dataDir);
    try {
      await db.waitReady;
    } catch (error) {
      await db.close().catch(() => {});
      throw error;
    }
    return wrapPglite(db, { closeInstance: true });
  }
  throw new Error('openDatabase needs a dataDir (embedded PGlite) or a url (PostgreSQL)');
}

/**
 * Names (prepares) each distinct statement, so PostgreSQL parses and plans it once per connection
 * instead of at every call: measured on `GET /v1/tickets`, about 0.7 ms less database time per list.
 * Bounded: statements with lists of varying length are new texts, so past `limit` texts the rest
 * run unnamed rather than piling up on every connection.
 */
export function preparedStatementNames(prefix = 'loket', limit = 1000): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return (query) => {
    const known = names.get(query.sql);
    // '' is pg's unnamed statement: parsed and planned for this call only.
    if (known || names.size >= limit) return known ?? '';
    const name = `${prefix}_${names.size + 1}`;
    names.set(query.sql, name);
    return name;
  };
}

function openPostgres(url: string): Database {
  // One pool for Prisma and the lean reader: the same connections, the same limit.
  const pool = new pg.Pool({ connectionString: url });
  // An idle connection the server ends (a restart, a dropped database) leaves the pool, and the next
  // query opens another. Unheard, pg's 'error' event would end the process.
  pool.on('error', () => {});
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: preparedStatementNames() }),
    transactionOptions: TRANSACTION_OPTIONS.postgres,
  });
  let closed: Promise<void> | undefined;
  const listeners = trackListeners(postgresListen(url));
  return {
    prisma,
    kind: 'postgres',
    jobs: { connectionString: url },
    // Its own names: a connection holds both sets of prepared statements.
    reader: postgresReader(pool, preparedStatementNames('loket_read')),
    listen: listeners.listen,
    close() {
      closed ??= (async () => {
        await listeners.closeAll();
        await prisma.$disconnect();
        await pool.end();
      })();
      return closed;
    },
  };
}

/** A Prisma client over an open PGlite instance. `closeInstance` says whether closing it is ours to do. */
export function wrapPglite(db: PGlite, options: { closeInstance: boolean }): Database {
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(db),
    transactionOptions: TRANSACTION_OPTIONS.pglite,
  });
  let closed: Promise<void> | undefined;
  const listeners = trackListeners(pgliteListen(db));
  return {
    prisma,
    kind: 'pglite',
    jobs: { db: pgliteExecutor(db) },
    reader: pgliteReader(db),
    listen: listeners.listen,
    close() {
      closed ??= (async () => {
        await listeners.closeAll();
        await prisma.$disconnect();
        if (options.closeInstance && !db.closed) await db.close();
      })();
      return closed;
    },
  };
}

/**
 * `migrateDeploy` then `openDatabase`, for boots. On PGlite the data directory is opened once for
 * both, instead of twice (each open costs most of a second).
 */
export async function openMigratedDatabase(
  target: DatabaseTarget,
  options: MigrationSources = {},
): Promise<Database & { migration: DeployResult }> {
  if (target.kind === 'postgres') {
    const migration = await migrateDeploy({ ...options, target });
    return { ...openPostgres(target.url), migration };
  }
  const db = await openPgliteDataDirLean(target.dataDir);
  try {
    await db.waitReady;
    const migration = await migrateDeploy({ ...options, target: { kind: 'pglite', instance: db } });
    return { ...wrapPglite(db, { closeInstance: true }), migration };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}
