// A fresh PostgreSQL database per test database, copied from a migrated template database: a copy
// takes a fraction of a second, running the migrations takes more. The template is named after the
// migration set, so a schema change gets a new one.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateDeploy } from '../migrate/migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, migrationsFingerprint } from '../migrate/migration-files.ts';

const TEMPLATE_PREFIX = 'loket_template_';
/** Any constant: it only has to be the same in every test process that shares the server. */
const TEMPLATE_LOCK = 7_450_001;

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

const checkedTemplates = new Set<string>();

/**
 * Creates a database copied from the template, creating or finishing the template first. It all
 * happens under an advisory lock: PostgreSQL refuses to copy a database someone is connected to, and
 * test processes run side by side.
 */
export async function createPostgresTestDatabase(serverUrl: string): Promise<{ name: string; url: string }> {
  const template = `${TEMPLATE_PREFIX}${migrationsFingerprint(DEFAULT_MIGRATIONS_DIR)}`;
  const name = `loket_test_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await withAdmin(serverUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    try {
      if (!checkedTemplates.has(template)) {
        await ensureTemplate(admin, serverUrl, template);
        checkedTemplates.add(template);
      }
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [TEMPLATE_LOCK]);
    }
  });
  return { name, url: databaseUrl(serverUrl, name) };
}

async function ensureTemplate(admin: pg.Client, serverUrl: string, template: string): Promise<void> {
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
  if (!exists.rowCount) await admin.query(`CREATE DATABASE "${template}"`);
  // Also finishes a template whose migration was interrupted; a no-op query otherwise.
  await migrateDeploy({ target: { kind: 'postgres', url: databaseUrl(serverUrl, template) } });
  const stale = await admin.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE datname LIKE $1 AND datname <> $2',
    [`${TEMPLATE_PREFIX}%`, template],
  );
  for (const { datname } of stale.rows)
    await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
}

export async function dropPostgresTestDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}
