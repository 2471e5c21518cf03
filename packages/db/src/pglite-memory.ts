// What keeps an embedded Loket's memory down (issue 7: one process under 200 MB RSS). Measured on
// PGlite 0.5 (Node 20, an opened data directory, VmRSS):
// - initdb's `shared_buffers = 128MB` is touched whole at start: about 300 MB RSS after a few queries;
//   16MB: about 160 MB. One office's working set is far smaller than either.
// - A first open (initdb) runs a second PGlite plus initdb.wasm in the process, and their WASM memories
//   are never given back: about 700 MB RSS for the life of the process. Run in a worker thread, that
//   memory goes back to the system when the worker ends.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const SHARED_BUFFERS = '16MB';

/** PGlite's own start parameters plus ours; `-c` here wins over the data directory's postgresql.conf. */
export function pgliteStartParams(): string[] {
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`];
}

// CommonJS, because an eval'd worker has require() and no module resolution of its own.
const INITDB_WORKER = `
const { workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
(async () => {
  const db = new PGlite(workerData.dir, { startParams: workerData.startParams });
  await db.waitReady;
  await db.close();
})().catch((error) => { process.exitCode = 1; throw error; });
`;

/**
 * Creates the database files under `dir` in a worker thread when they do not exist yet, so that the
 * caller's own open finds them and skips initdb. The caller holds the data directory's lock.
 */
export async function initdbInWorker(dir: string): Promise<void> {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const worker = new Worker(INITDB_WORKER, {
    eval: true,
    workerData: { pglite, dir, startParams: pgliteStartParams() },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`initdb of ${dir} failed (worker exit ${code})`)),
    );
  });
}
