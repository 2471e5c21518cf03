// What keeps an embedded Loket's memory down (issue 7: one process under 200 MB RSS). Measured on
// PGlite 0.5 (Node 20, an opened data directory, VmRSS):
// - initdb's `shared_buffers = 128MB` is touched whole at start: about 300 MB RSS after a few queries;
//   16MB: about 160 MB. One office's working set is far smaller than either.
// - A first open (initdb) runs a second PGlite plus initdb.wasm in the process, and their WASM memories
//   are never given back: about 700 MB RSS for the life of the process. A worker thread gave the WASM
//   memories back but not glibc's arena of that thread (compiling pglite.wasm there): still about
//   +130 MB for the life of the process. So initdb runs in a short-lived child process instead.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const SHARED_BUFFERS = '16MB';

/** PGlite's own start parameters plus ours; `-c` here wins over the data directory's postgresql.conf. */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
}

// CommonJS, run by `node -e`: the arguments are PGlite's entry, the directory and the start parameters.
const INITDB_SCRIPT = `
const [pglite, dir, startParams] = process.argv.slice(1);
const { PGlite } = require(pglite);
(async () => {
  const db = new PGlite(dir, { startParams: JSON.parse(startParams) });
  await db.waitReady;
  await db.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

/**
 * Creates the database files under `dir` in a child process when they do not exist yet, so that the
 * caller's own open finds them and skips initdb. The caller holds the data directory's lock.
 */
export async function initdbInChildProcess(dir: string): Promise<void> {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const args = ['-e', INITDB_SCRIPT, pglite, dir, JSON.stringify(pgliteStartParams())];
  // Only node's own flags: the parent's --import of a loader (tsx) is not needed by a CommonJS script.
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`initdb of ${dir} failed: ${stderr.trim() || error.message}`)) : resolve(),
    );
  });
}
