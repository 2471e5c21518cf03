// Real databases for integration tests, here and in other packages: an in-memory PGlite always, and
// PostgreSQL when a test run provides a server URL (tests read DATABASE_URL; nothing here does).
import { type Database, openDatabase, wrapPglite } from './client.ts';
import type { DatabaseKind } from './database-target.ts';
import { type JobRunner, startJobRunner } from './jobs/job-runner.ts';
import { openPgliteFromTemplate } from './test-databases/pglite-template.ts';
import {
  createPostgresTestDatabase,
  dropPostgresTestDatabase,
} from './test-databases/postgres-test-database.ts';

export type TestDatabase = Database & {
  /** Empties every table (keeping the migrations), for tests that share one database. */
  reset(): Promise<void>;
  /** A started job queue runner on this database (one, made on first use), stopped by `close()`. */
  jobRunner(): Promise<JobRunner>;
};

const quietJobLogger = { warn: () => {}, error: () => {} };

/** The kinds to run integration tests against: PGlite always, PostgreSQL when a URL is given. */
export function testDatabaseKinds(postgresUrl: string | undefined): DatabaseKind[] {
  return postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A migrated, empty database of its own. PGlite: in memory (about a second). PostgreSQL: a new
 * database on the server at `postgresUrl`, dropped again by `close()`.
 */
export async function openTestDatabase(kind: DatabaseKind, postgresUrl?: string): Promise<TestDatabase> {
  if (kind === 'pglite')
    return withReset(wrapPglite(await openPgliteFromTemplate(), { closeInstance: true }));
  if (!postgresUrl) throw new Error('openTestDatabase("postgres") needs the PostgreSQL server URL');
  const created = await createPostgresTestDatabase(postgresUrl);
  const database = await openDatabase({ url: created.url });
  let closed: Promise<void> | undefined;
  return withReset({
    ...database,
    close() {
      closed ??= database.close().then(() => dropPostgresTestDatabase(postgresUrl, created.name));
      return closed;
    },
  });
}

function withReset(database: Database): TestDatabase {
  let runner: Promise<JobRunner> | undefined;
  let closed: Promise<void> | undefined;
  return {
    ...database,
    jobRunner() {
      runner ??= startJobRunner(database.jobs, { logger: quietJobLogger, maintenanceIntervalSeconds: 1 });
      return runner;
    },
    close() {
      closed ??= (async () => {
        if (runner) await (await runner).stop();
        await database.close();
      })();
      return closed;
    },
    async reset() {
      const tables = await database.prisma.$queryRaw<{ tablename: string }[]>`
        SELECT tablename FROM pg_tables
        WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`;
      // The job queue's jobs too; its queue definitions come from the migrations and stay.
      const list = [...tables.map((table) => `"${table.tablename}"`), 'pgboss.job', 'pgboss.archive'].join(
        ', ',
      );
      await database.prisma.$executeRawUnsafe(`TRUNCATE ${list} CASCADE`);
    },
  };
}
