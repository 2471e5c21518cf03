// A PostgreSQL database of the benchmark's own (`loket_bench_<pid>_<label>`), migrated with the
// project's migrations and dropped again at the end, plus a raw `pg` pool for hand-written SQL.
import { type Database, migrateDeploy, openDatabase } from '@loket/db';
import pg from 'pg';

export type BenchDatabase = {
  name: string;
  url: string;
  database: Database;
  pool: pg.Pool;
  drop(): Promise<void>;
};

function urlOf(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(serverUrl: string, label: string): Promise<BenchDatabase> {
  const name = `loket_bench_${process.pid}_${label}`;
  await admin(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = urlOf(serverUrl, name);
  await migrateDeploy({ target: { kind: 'postgres', url } });
  const database = await openDatabase({ url });
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // Dropping the database ends idle connections with an error; unhandled, it would end the bench.
  pool.on('error', () => {});
  let dropped: Promise<void> | undefined;
  return {
    name,
    url,
    database,
    pool,
    drop() {
      dropped ??= (async () => {
        await database.close().catch(() => {});
        await pool.end().catch(() => {});
        await admin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      })();
      return dropped;
    },
  };
}
