// @prisma/adapter-pg as the schema engine's connection, with the fixes migrations need.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

type QueryResultLike = { fields?: { dataTypeID: number }[] };

/**
 * The engine's introspection selects catalog columns of type `"char"` (oid 18), which adapter-pg
 * rejects as an unsupported type (prisma/orm#27403). Those values are plain text, so report them as
 * text (oid 25). `name` (oid 19) is handled by adapter-pg 7.10 already; it is mapped too, harmlessly.
 */
function reportCatalogTypesAsText<T>(result: T): T {
  for (const one of Array.isArray(result) ? result : [result]) {
    for (const field of (one as QueryResultLike | undefined)?.fields ?? []) {
      if (field.dataTypeID === 18 || field.dataTypeID === 19) field.dataTypeID = 25;
    }
  }
  return result;
}

/** A pg client whose results pass through `reportCatalogTypesAsText`, in both callback and promise form. */
class CatalogSafeClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    // pg.Client.query has a dozen overloads; wrapping it generically is the only sane way.
    (this as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const callback = args.at(-1);
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: unknown, result: unknown) =>
          callback(error, error ? result : reportCatalogTypesAsText(result));
      }
      const returned = query(...args);
      if (returned instanceof Promise) return returned.then(reportCatalogTypesAsText);
      return returned;
    };
  }
}

export type ClosableAdapterFactory = SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> };

/**
 * adapter-pg's executeScript splits the script on every `;`, which cuts a PL/pgSQL body (`$$ … ; … $$`,
 * as in the job queue's functions) into broken statements. A query without arguments goes out as one
 * simple-protocol message, which PostgreSQL runs statement by statement itself.
 */
function wholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/** Makes `dispose` safe to call twice: the engine and our `close()` may both call it. */
function disposeOnce(adapter: SqlDriverAdapter, after?: () => Promise<void>): SqlDriverAdapter {
  wholeScripts(adapter);
  const dispose = adapter.dispose.bind(adapter);
  let disposed: Promise<void> | undefined;
  adapter.dispose = () => {
    disposed ??= dispose().then(() => after?.());
    return disposed;
  };
  return adapter;
}

export function postgresMigrateAdapter(url: string): ClosableAdapterFactory {
  const opened: SqlDriverAdapter[] = [];
  const factoryFor = (connectionString: string) =>
    // A config object, not a pg.Pool: adapter-pg reads its config back from a pool and loses the password.
    new PrismaPg({ connectionString, Client: CatalogSafeClient, idleTimeoutMillis: 1000 } as pg.PoolConfig);
  const main = factoryFor(url);

  return {
    provider: 'postgres',
    adapterName: main.adapterName,
    async connect() {
      const adapter = disposeOnce(await main.connect());
      opened.push(adapter);
      return adapter;
    },
    /**
     * adapter-pg's own version drops the shadow database before closing the pool that still uses it
     * ("is being accessed by other users"): close first, then DROP … WITH (FORCE).
     */
    async connectToShadowDb() {
      const admin = disposeOnce(await main.connect());
      const name = `prisma_shadow_${randomUUID().replace(/-/g, '')}`;
      await admin.executeScript(`CREATE DATABASE "${name}"`);
      const shadowUrl = new URL(url);
      shadowUrl.pathname = `/${name}`;
      const shadow = disposeOnce(await factoryFor(shadowUrl.toString()).connect(), async () => {
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.dispose();
      });
      opened.push(shadow);
      return shadow;
    },
    async close() {
      for (const adapter of opened.reverse()) await adapter.dispose();
    },
  };
}
