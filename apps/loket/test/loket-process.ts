// Starts Loket the way the README does (`pnpm start`) in its own process group, and talks HTTP to it.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// Bodies are checked field by field with expect(); typing each answer would repeat the API's schemas.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type JsonBody = any;

export type LoketProcess = {
  url: string;
  dataDir: string;
  /** The process group (pnpm, tsx and node): what `kill` signals. */
  pid: number;
  /** Signals the whole process group at once; SIGKILL is a crash, with no cleanup. */
  kill(signal: NodeJS.Signals): Promise<void>;
  output(): string;
  api(
    method: string,
    route: string,
    token: string,
    body?: unknown,
  ): Promise<{ status: number; body: JsonBody }>;
  /** Stops Loket; the data directory is removed unless `keepData` (to start again on the same data). */
  stop(options?: { keepData?: boolean }): Promise<void>;
};

export async function startLoketProcess(
  env: Record<string, string>,
  options: { dataDir?: string; serviceHoursAsConfigured?: boolean } = {},
): Promise<LoketProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'loket-e2e-')));
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...env,
  };
  // The embedded default unless the test asks for PostgreSQL.
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child: ChildProcess = spawn('pnpm', ['start'], {
    cwd: REPO_ROOT,
    env: childEnv,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Loket did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      const match = /Loket is serving on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Loket exited with ${code}:\n${output}`));
    });
  });

  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Depok's hours are 08.00-12.00 WIB on weekdays; tests run at any hour, so unless a test is about
  // the hours, the office is open around the clock and every run sees the same replies.
  if (!options.serviceHoursAsConfigured && env.LOKET_ADMIN_TOKEN) {
    const response = await fetch(`${url}/v1/admin/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${env.LOKET_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' } }),
    });
    if (!response.ok) throw new Error(`could not open the office around the clock: ${response.status}`);
  }
  return {
    url,
    dataDir,
    pid: child.pid ?? -1,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, signal);
      await exited;
    },
    output: () => output,
    async api(method, route, token, body) {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
    async stop(stopOptions = {}) {
      if (child.exitCode === null && child.pid) {
        process.kill(-child.pid, 'SIGTERM');
        const timeout = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(timeout);
      }
      if (!stopOptions.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
