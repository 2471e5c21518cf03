// A migrated PGlite for tests costs ~5 s from scratch (initdb, then the migration engine) but ~1 s
// when loaded from a dump of one. The dump is built once per migration set and PGlite version, kept
// in the OS temp folder for later test processes, and loaded into a fresh in-memory instance per test
// database.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { migrateDeploy } from '../migrate/migrate.ts';
import { DEFAULT_MIGRATIONS_DIR, migrationsFingerprint } from '../migrate/migration-files.ts';

const CACHE_DIR = path.join(os.tmpdir(), 'loket-test-templates');
const PREFIX = 'pglite-';

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  let dir = path.dirname(require.resolve('@electric-sql/pglite'));
  while (dir !== path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === '@electric-sql/pglite' && parsed.version) return parsed.version;
    }
    dir = path.dirname(dir);
  }
  return 'unknown';
}

async function buildTemplate(file: string): Promise<Blob> {
  const db = new PGlite();
  try {
    await db.waitReady;
    await migrateDeploy({ target: { kind: 'pglite', instance: db } });
    const dump = await db.dumpDataDir('none');
    mkdirSync(CACHE_DIR, { recursive: true });
    // Written under a private name and renamed, so a parallel test process never reads half a file.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, file);
    removeStaleTemplates(path.basename(file));
    return dump;
  } finally {
    await db.close();
  }
}

/** Dumps of older migration sets are of no more use; a failure to remove one is harmless. */
function removeStaleTemplates(current: string): void {
  for (const name of readdirSync(CACHE_DIR)) {
    if (!name.startsWith(PREFIX) || name === current || name.endsWith('.partial')) continue;
    rmSync(path.join(CACHE_DIR, name), { force: true });
  }
}

let template: Promise<Blob> | undefined;

/** The dump of a freshly migrated database, built at most once per migration set. */
export function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const file = path.join(
      CACHE_DIR,
      `${PREFIX}${pgliteVersion()}-${migrationsFingerprint(DEFAULT_MIGRATIONS_DIR)}.tar`,
    );
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    return buildTemplate(file);
  })();
  template.catch(() => {
    template = undefined;
  });
  return template;
}

/** A new in-memory PGlite holding the migrated, empty schema. */
export async function openPgliteFromTemplate(): Promise<PGlite> {
  const db = new PGlite({ loadDataDir: await pgliteTemplate() });
  await db.waitReady;
  return db;
}
