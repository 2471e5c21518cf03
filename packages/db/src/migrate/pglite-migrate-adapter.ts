// pglite-prisma-adapter as the schema engine's connection, with the fixes migrations need.
import { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlQuery } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { openPgliteDataDir } from '../pglite-data-dir.ts';
import type { ClosableAdapterFactory } from './postgres-migrate-adapter.ts';

/**
 * An open instance we borrow (and leave open), the database in a DATA_DIR, or a throwaway in-memory
 * one; the last two we open and close ourselves.
 */
export type PgliteSource = { instance: PGlite } | { dataDir: string } | { memory: true };

async function migrationSafeAdapter(db: PGlite): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPGlite(db).connect();
  // The adapter's executeScript starts exec() without awaiting it, so errors and ordering are lost.
  adapter.executeScript = async (script: string) => {
    await db.exec(script);
  };
  // Whole migration scripts arrive as one executeRaw without arguments, but PGlite's query() takes a
  // single statement: send those to exec(), which takes many.
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query: SqlQuery) => {
    if (query.args.length) return executeRaw(query);
    const results = await db.exec(query.sql);
    return results.at(-1)?.affectedRows ?? 0;
  };
  return adapter;
}

let emptyDataDir: Blob | undefined;

/**
 * A new, empty in-memory PGlite. Creating one runs initdb (about 5 s on a small machine); loading a
 * dump of a fresh one takes about 1 s, and `dev` or `diff` may need several in one process.
 */
export async function freshMemoryPglite(): Promise<PGlite> {
  if (emptyDataDir) return new PGlite({ loadDataDir: emptyDataDir });
  const db = new PGlite();
  await db.waitReady;
  emptyDataDir = await db.dumpDataDir('none');
  return db;
}

export function pgliteMigrateAdapter(source: PgliteSource): ClosableAdapterFactory {
  const owned: PGlite[] = [];
  let main: Promise<SqlDriverAdapter> | undefined;
  const openMain = async (): Promise<PGlite> => {
    if ('instance' in source) return source.instance;
    const db = 'dataDir' in source ? openPgliteDataDir(source.dataDir) : await freshMemoryPglite();
    owned.push(db);
    return db;
  };

  return {
    provider: 'postgres',
    adapterName: 'pglite-prisma-adapter',
    connect() {
      main ??= openMain().then(migrationSafeAdapter);
      return main;
    },
    // A fresh in-memory database each time; the adapter's own returns one shared `memory://shadow`.
    async connectToShadowDb() {
      const shadow = await freshMemoryPglite();
      owned.push(shadow);
      const adapter = await migrationSafeAdapter(shadow);
      adapter.dispose = async () => {
        if (!shadow.closed) await shadow.close();
      };
      return adapter;
    },
    async close() {
      for (const db of owned) if (!db.closed) await db.close();
    },
  };
}
