// The project's `prisma migrate`: deploy, status, diff and dev, over PGlite or PostgreSQL.
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseTarget } from '../database-target.ts';
import { openPgliteDataDir } from '../pglite-data-dir.ts';
import {
  appliedMigrationsInPglite,
  appliedMigrationsInPostgres,
  pendingMigrations,
} from './applied-migrations.ts';
import {
  DEFAULT_MIGRATIONS_DIR,
  DEFAULT_SCHEMA_PATH,
  type MigrationSources,
  migrationNames,
  readMigrationsList,
  readSchemaFiles,
  writeMigration,
} from './migration-files.ts';
import type { EngineSession } from './schema-engine.ts';

/** A database target, or a PGlite instance that is already open (tests, and one-open boots). */
export type MigrationTarget = DatabaseTarget | { kind: 'pglite'; instance: PGlite };

export type MigrateOptions = MigrationSources & {
  target: MigrationTarget;
  /** Receives the engine's log lines (JSON); silent by default. */
  log?: (line: string) => void;
};

export type DeployResult = {
  applied: string[];
  /** False when the cheap check found nothing pending and the engine was never loaded. */
  engineLoaded: boolean;
};

export type MigrationStatus = {
  upToDate: boolean;
  hasMigrationsTable: boolean;
  /** On disk, not applied. */
  pending: string[];
  /** Recorded in the database, missing on disk. */
  unknownInDatabase: string[];
  failed: string[];
  /** Applied, but the file changed since. */
  edited: string[];
};

/** Where commands that need no real database (diff, dev) run: an in-memory PGlite, thrown away after. */
type EngineTarget = MigrationTarget | { kind: 'pglite'; memory: true };
const THROWAWAY: EngineTarget = { kind: 'pglite', memory: true };

function sourcesOf(options: MigrationSources) {
  return {
    schemaPath: options.schemaPath ?? DEFAULT_SCHEMA_PATH,
    migrationsDir: options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR,
  };
}

/**
 * Runs `work` with a schema engine connected to the target. The engine module is imported only here,
 * so a boot with nothing pending never pays for it.
 */
async function withEngine<T>(
  target: EngineTarget,
  schemaPath: string,
  log: ((line: string) => void) | undefined,
  work: (session: EngineSession) => Promise<T>,
): Promise<T> {
  const { openSchemaEngine } = await import('./schema-engine.ts');
  const { pgliteMigrateAdapter } = await import('./pglite-migrate-adapter.ts');
  const { postgresMigrateAdapter } = await import('./postgres-migrate-adapter.ts');
  const adapter =
    target.kind === 'postgres' ? postgresMigrateAdapter(target.url) : pgliteMigrateAdapter(target);
  try {
    const session = await openSchemaEngine({ adapter, schemaFiles: readSchemaFiles(schemaPath), log });
    try {
      return await work(session);
    } finally {
      session.engine.free();
    }
  } finally {
    await adapter.close();
  }
}

/** Applies pending migrations. Cheap when there are none: one query, no engine. */
export async function migrateDeploy(options: MigrateOptions): Promise<DeployResult> {
  const { schemaPath, migrationsDir } = sourcesOf(options);
  const onDisk = migrationNames(migrationsDir);
  const { target } = options;

  if (target.kind === 'postgres') {
    const pending = pendingMigrations(onDisk, await appliedMigrationsInPostgres(target.url));
    if (!pending.length) return { applied: [], engineLoaded: false };
    return applyWithEngine(target, schemaPath, migrationsDir, options.log);
  }

  // One PGlite open for both the check and the engine: opening a data directory costs most of a second.
  const db = 'instance' in target ? target.instance : openPgliteDataDir(target.dataDir);
  try {
    const pending = pendingMigrations(onDisk, await appliedMigrationsInPglite(db));
    if (!pending.length) return { applied: [], engineLoaded: false };
    return await applyWithEngine({ kind: 'pglite', instance: db }, schemaPath, migrationsDir, options.log);
  } finally {
    if (!('instance' in target)) await db.close();
  }
}

async function applyWithEngine(
  target: MigrationTarget,
  schemaPath: string,
  migrationsDir: string,
  log: ((line: string) => void) | undefined,
): Promise<DeployResult> {
  return withEngine(target, schemaPath, log, async ({ engine, call, filters }) => {
    const result = await call(
      engine.applyMigrations({ migrationsList: readMigrationsList(migrationsDir), filters }),
    );
    return { applied: result.appliedMigrationNames, engineLoaded: true };
  });
}

export async function migrationStatus(options: MigrateOptions): Promise<MigrationStatus> {
  const { schemaPath, migrationsDir } = sourcesOf(options);
  return withEngine(options.target, schemaPath, options.log, async ({ engine, call, filters }) => {
    const diagnosis = await call(
      engine.diagnoseMigrationHistory({
        migrationsList: readMigrationsList(migrationsDir),
        optInToShadowDatabase: false,
        filters,
      }),
    );
    const history = diagnosis.history;
    const pending = history && 'unappliedMigrationNames' in history ? history.unappliedMigrationNames : [];
    const unknownInDatabase =
      history && 'unpersistedMigrationNames' in history ? history.unpersistedMigrationNames : [];
    return {
      upToDate: !history && !diagnosis.failedMigrationNames.length && !diagnosis.editedMigrationNames.length,
      hasMigrationsTable: diagnosis.hasMigrationsTable,
      pending,
      unknownInDatabase,
      failed: diagnosis.failedMigrationNames,
      edited: diagnosis.editedMigrationNames,
    };
  });
}

export type SchemaDiff = { differs: boolean; sql: string };

/** Options of the commands that can run without a real database. */
export type EngineOptions = MigrationSources & { target?: MigrationTarget; log?: (line: string) => void };

/** The SQL that takes the migrations (replayed on a shadow database) to the schema. */
async function diffMigrationsToSchema(session: EngineSession, migrationsDir: string): Promise<SchemaDiff> {
  const result = await session.call(
    session.engine.diff({
      from: { tag: 'migrations', ...readMigrationsList(migrationsDir) },
      to: { tag: 'schemaDatamodel', files: session.schemaFiles },
      script: true,
      exitCode: true,
      filters: session.filters,
    }),
  );
  const differs = result.exitCode === 2;
  // Without differences the engine still prints "-- This is an empty migration."
  return { differs, sql: differs ? (result.stdout ?? '') : '' };
}

/**
 * What SQL would take the migrations to the schema. CI fails when it is not empty: a model changed
 * without a migration. Replays the migrations on a throwaway in-memory PGlite unless told otherwise.
 */
export async function diffSchemaAgainstMigrations(options: EngineOptions = {}): Promise<SchemaDiff> {
  const { schemaPath, migrationsDir } = sourcesOf(options);
  return withEngine(options.target ?? THROWAWAY, schemaPath, options.log, (session) =>
    diffMigrationsToSchema(session, migrationsDir),
  );
}

export type CreatedMigration = { created: string | null; file: string | null; applied: string[] };

/**
 * `migrate dev`: writes a migration for what the schema has and the migrations lack, and applies the
 * migrations to the target (a throwaway in-memory PGlite unless given), which proves the new script
 * runs. The engine's own createMigration refuses to use the shadow database the adapter provides
 * ("shadow DB must be provided through an external factory"), so the script comes from `diff`, which
 * does: the same SQL `prisma migrate dev` writes.
 */
export async function createMigration(
  name: string,
  options: EngineOptions & { now?: Date } = {},
): Promise<CreatedMigration> {
  const { schemaPath, migrationsDir } = sourcesOf(options);
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'migration';
  const target = options.target ?? THROWAWAY;
  return withEngine(target, schemaPath, options.log, async (session) => {
    const { engine, call, filters } = session;
    // A real development database may have drifted (edited by hand, or a branch switch); a
    // throwaway one cannot have.
    if (options.target) {
      const diagnostic = await call(
        engine.devDiagnostic({ migrationsList: readMigrationsList(migrationsDir), filters }),
      );
      if (diagnostic.action.tag === 'reset') {
        throw new Error(
          `the database drifted from the migrations; reset it first: ${diagnostic.action.reason}`,
        );
      }
    }
    const diff = await diffMigrationsToSchema(session, migrationsDir);
    let created: string | null = null;
    let file: string | null = null;
    if (diff.differs) {
      created = `${migrationTimestamp(options.now ?? new Date())}_${slug}`;
      file = writeMigration(migrationsDir, {
        name: created,
        script: diff.sql,
        extension: 'sql',
        connectorType: 'postgresql',
      });
    }
    const applied = await call(
      engine.applyMigrations({ migrationsList: readMigrationsList(migrationsDir), filters }),
    );
    return { created, file, applied: applied.appliedMigrationNames };
  });
}

/** Prisma's migration folder prefix: the UTC time as YYYYMMDDHHMMSS. */
function migrationTimestamp(at: Date): string {
  return at.toISOString().replace(/\D/g, '').slice(0, 14);
}
