// The cheap start-up check: one plain query instead of loading the WASM engine (about a second or
// more) on every boot when nothing is pending.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

const APPLIED_SQL = `SELECT migration_name FROM _prisma_migrations
  WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
const UNDEFINED_TABLE = '42P01';

function isUndefinedTable(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === UNDEFINED_TABLE;
}

/** Names of the migrations recorded as finished, or null when the migrations table does not exist. */
export async function appliedMigrationsInPglite(db: PGlite): Promise<Set<string> | null> {
  try {
    const result = await db.query<{ migration_name: string }>(APPLIED_SQL);
    return new Set(result.rows.map((row) => row.migration_name));
  } catch (error) {
    if (isUndefinedTable(error)) return null;
    throw error;
  }
}

export async function appliedMigrationsInPostgres(url: string): Promise<Set<string> | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ migration_name: string }>(APPLIED_SQL);
    return new Set(result.rows.map((row) => row.migration_name));
  } catch (error) {
    if (isUndefinedTable(error)) return null;
    throw error;
  } finally {
    await client.end();
  }
}

/** Directory names not yet recorded as applied (all of them when there is no migrations table). */
export function pendingMigrations(onDisk: string[], applied: Set<string> | null): string[] {
  if (!applied) return onDisk;
  return onDisk.filter((name) => !applied.has(name));
}
