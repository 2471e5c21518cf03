// The one place in this package that reads the environment: the migrate CLI is an entry point.
import type { MigrationTarget } from './migrate.ts';

export type MigrateCliEnv = {
  /** PostgreSQL instead of the embedded database. */
  databaseUrl: string | null;
  /** The embedded database's DATA_DIR, when set. */
  dataDir: string | null;
};

export function readMigrateCliEnv(env: NodeJS.ProcessEnv = process.env): MigrateCliEnv {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${databaseUrl.slice(0, 20)}…")`,
    );
  }
  return { databaseUrl, dataDir: env.DATA_DIR?.trim() || null };
}

/** DATABASE_URL wins; otherwise the embedded database under DATA_DIR, or `fallbackDataDir`. */
export function cliTarget(env: MigrateCliEnv, fallbackDataDir: string | null): MigrationTarget | null {
  if (env.databaseUrl) return { kind: 'postgres', url: env.databaseUrl };
  const dataDir = env.dataDir ?? fallbackDataDir;
  return dataDir ? { kind: 'pglite', dataDir } : null;
}
