// PGlite has no guard against two processes opening one data directory, and two writers corrupt it
// (checked: a second `new PGlite(dir)` opens and queries happily). `loket migrate` run next to a
// running `loket start` would do exactly that, so every open of a data directory takes a lock file.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgliteDirectory } from './database-target.ts';
import { initdbInChildProcess, pgliteStartParams } from './pglite-memory.ts';

const held = new Set<string>();

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function acquire(lockFile: string): void {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(lockFile);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    // Our own pid in a lock we do not hold is a previous life of this container, not us.
    const ownedElsewhere = owner !== process.pid || held.has(lockFile);
    if (Number.isInteger(owner) && ownedElsewhere && isRunning(owner)) {
      throw new Error(
        `the embedded database in ${path.dirname(lockFile)} is in use by process ${owner} (is Loket already running?)`,
      );
    }
    rmSync(lockFile, { force: true }); // left behind by a process that is gone
  }
  throw new Error(`could not lock ${lockFile}`);
}

/** Opens the PGlite database under `<dataDir>/pglite`, exclusively; `close()` releases the lock. */
export function openPgliteDataDir(dataDir: string): PGlite {
  const { dir, lockFile } = lockDataDir(dataDir);
  return openLocked(dir, lockFile);
}

/**
 * The same, for long-lived processes: a data directory that does not exist yet is created in a child
 * process first, so initdb's memory is not kept for the life of the process (see pglite-memory.ts).
 */
export async function openPgliteDataDirLean(dataDir: string): Promise<PGlite> {
  const { dir, lockFile } = lockDataDir(dataDir);
  try {
    await initdbInChildProcess(dir);
  } catch (error) {
    release(lockFile);
    throw error;
  }
  return openLocked(dir, lockFile);
}

function lockDataDir(dataDir: string): { dir: string; lockFile: string } {
  const dir = pgliteDirectory(dataDir);
  mkdirSync(path.dirname(dir), { recursive: true });
  const lockFile = `${dir}.lock`;
  acquire(lockFile);
  return { dir, lockFile };
}

function openLocked(dir: string, lockFile: string): PGlite {
  let db: PGlite;
  try {
    db = new PGlite(dir, { startParams: pgliteStartParams() });
  } catch (error) {
    release(lockFile);
    throw error;
  }
  const close = db.close.bind(db);
  db.close = async () => {
    try {
      await close();
    } finally {
      release(lockFile);
    }
  };
  return db;
}

function release(lockFile: string): void {
  if (!held.delete(lockFile)) return;
  rmSync(lockFile, { force: true });
}
