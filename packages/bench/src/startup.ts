// `pnpm start` on the embedded database to a healthy /healthz, measured from outside like a user would.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@loket/testkit';
import { childEnvironment } from './env.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function timeToHealthy(dataDir: string): Promise<number> {
  const port = await freePort();
  const env = childEnvironment({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const started = performance.now();
  const child = spawn('pnpm', ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: 'ignore' });
  try {
    for (;;) {
      if (performance.now() - started > 120_000) throw new Error('Loket did not become healthy in 120 s');
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (performance.now() - started) / 1000;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/** First start (creates and migrates the embedded database) and a second start on the same data. */
export async function measureStartup(): Promise<{ firstSeconds: number; warmSeconds: number }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-bench-'));
  try {
    const firstSeconds = await timeToHealthy(dataDir);
    const warmSeconds = await timeToHealthy(dataDir);
    return { firstSeconds, warmSeconds };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
