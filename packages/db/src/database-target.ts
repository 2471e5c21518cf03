import path from 'node:path';

/**
 * Where the database lives: embedded PGlite files under `dataDir` (the default), or a PostgreSQL
 * server. Apps build it from DATA_DIR / DATABASE_URL at boot.
 */
export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export type DatabaseKind = DatabaseTarget['kind'];

/** PGlite keeps its files in a folder of its own, next to media and channel sessions in DATA_DIR. */
export function pgliteDirectory(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'pglite');
}
