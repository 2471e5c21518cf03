import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../client.ts';
import { testDatabaseKinds } from '../testing.ts';
import {
  createMigration,
  diffSchemaAgainstMigrations,
  type MigrationTarget,
  migrateDeploy,
  migrationStatus,
} from './migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_SCHEMA_PATH, migrationNames } from './migration-files.ts';

const postgresUrl = process.env.DATABASE_URL;
const ENGINE_TIMEOUT = 120_000;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'loket-migrate-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The real migrations plus one more, in a folder of their own. */
function migrationsWithExtra(): string {
  const dir = mkdtempSync(path.join(scratch, 'migrations-'));
  cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  mkdirSync(path.join(dir, '29990101000000_extra'));
  writeFileSync(
    path.join(dir, '29990101000000_extra', 'migration.sql'),
    'CREATE TABLE "Extra" ("id" TEXT PRIMARY KEY);\n',
  );
  return dir;
}

/** The real schema plus a model no migration creates. */
function schemaWithNewModel(): string {
  const file = path.join(mkdtempSync(path.join(scratch, 'schema-')), 'schema.prisma');
  writeFileSync(file, `${readFileSync(DEFAULT_SCHEMA_PATH, 'utf8')}\nmodel Extra {\n  id String @id\n}\n`);
  return file;
}

describe.each(testDatabaseKinds(postgresUrl))('migrateDeploy on %s', (kind) => {
  let target: MigrationTarget;
  let dropDatabase: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (kind === 'pglite') {
      target = { kind: 'pglite', dataDir: mkdtempSync(path.join(scratch, 'data-')) };
      return;
    }
    // An empty database, not a test template: this is about migrating from nothing.
    const name = `loket_migrate_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(postgresUrl!);
    url.pathname = `/${name}`;
    target = { kind: 'postgres', url: url.toString() };
    dropDatabase = async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    };
  });
  afterAll(() => dropDatabase?.());

  it(
    'applies every migration to an empty database, then does nothing, quickly, without the engine',
    async () => {
      const first = await migrateDeploy({ target });
      expect(first).toEqual({ applied: migrationNames(DEFAULT_MIGRATIONS_DIR), engineLoaded: true });
      expect(first.applied[0]).toMatch(/^\d{14}_init$/);

      const started = performance.now();
      const second = await migrateDeploy({ target });
      const noopMs = performance.now() - started;
      expect(second).toEqual({ applied: [], engineLoaded: false });
      expect(noopMs).toBeLessThan(kind === 'pglite' ? 5_000 : 1_000);

      expect(await migrationStatus({ target })).toEqual({
        upToDate: true,
        hasMigrationsTable: true,
        pending: [],
        unknownInDatabase: [],
        failed: [],
        edited: [],
      });
      const database = await openDatabase(target as { dataDir: string } | { url: string });
      try {
        expect(await database.prisma.ticket.count()).toBe(0);
        expect(database.kind).toBe(kind);
      } finally {
        await database.close();
      }
    },
    ENGINE_TIMEOUT,
  );

  // PostgreSQL only: its catalog columns of type "char" need the adapter fix; PGlite's adapter copes.
  it.runIf(kind === 'postgres')(
    'runs dev against the database (reading its catalog for drift) and finds nothing to create',
    async () => {
      const migrationsDir = mkdtempSync(path.join(scratch, 'copy-'));
      cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
      expect(await createMigration('unchanged', { target, migrationsDir })).toEqual({
        created: null,
        file: null,
        applied: [],
      });
    },
    ENGINE_TIMEOUT,
  );

  it(
    'applies only the migration that is new, and status shows it pending before',
    async () => {
      const migrationsDir = migrationsWithExtra();
      expect((await migrationStatus({ target, migrationsDir })).pending).toEqual(['29990101000000_extra']);
      expect(await migrateDeploy({ target, migrationsDir })).toEqual({
        applied: ['29990101000000_extra'],
        engineLoaded: true,
      });
      expect((await migrateDeploy({ target, migrationsDir })).engineLoaded).toBe(false);
    },
    ENGINE_TIMEOUT,
  );
});

describe('diff and dev', () => {
  it(
    'finds a model without a migration, writes that migration, and then agrees',
    async () => {
      const schemaPath = schemaWithNewModel();
      const migrationsDir = mkdtempSync(path.join(scratch, 'dev-'));
      cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });

      const before = await diffSchemaAgainstMigrations({ schemaPath, migrationsDir });
      expect(before.differs).toBe(true);
      expect(before.sql).toContain('CREATE TABLE "Extra"');

      const created = await createMigration('Add extra!', { schemaPath, migrationsDir });
      expect(created.created).toMatch(/^\d{14}_add_extra$/);
      expect(existsSync(created.file!)).toBe(true);
      expect(readFileSync(created.file!, 'utf8')).toContain('CREATE TABLE "Extra"');

      expect(await diffSchemaAgainstMigrations({ schemaPath, migrationsDir })).toEqual({
        differs: false,
        sql: '',
      });
    },
    ENGINE_TIMEOUT,
  );

  it.runIf(postgresUrl)(
    'diffs through a PostgreSQL shadow database, which it drops again',
    async () => {
      const target: MigrationTarget = { kind: 'postgres', url: postgresUrl! };
      expect((await diffSchemaAgainstMigrations({ target })).differs).toBe(false);
      const diff = await diffSchemaAgainstMigrations({ target, schemaPath: schemaWithNewModel() });
      expect(diff.sql).toContain('CREATE TABLE "Extra"');
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      const shadows = await admin.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'prisma_shadow_%'",
      );
      await admin.end();
      expect(shadows.rows).toEqual([]);
    },
    ENGINE_TIMEOUT,
  );
});
