// A PostgreSQL cluster of the test's own, in a temporary directory on a free port, that the test may
// stop and restart at will: the shared server on 5432 serves other tests and must never be restarted.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@loket/testkit';
import { RELIABILITY_ENV } from './env.ts';

const run = promisify(execFile);
const POSTGRES_ROOT = '/usr/lib/postgresql';

export type PrivatePostgres = {
  /** The `postgres` database as the `postgres` superuser (trust auth). */
  url: string;
  port: number;
  /** Stops the server (fast shutdown: sessions are cut), waits `downMs`, and starts it again. */
  restart(options?: { downMs?: number }): Promise<{ downMs: number }>;
  /** Stops the server and removes its files. */
  close(): Promise<void>;
  /** The server's own log, for a failing test's message. */
  log(): Promise<string>;
};

type RunAs = { uid: number; gid: number } | undefined;

/** The newest installed server's bin directory, or undefined. */
function binDirectory(): string | undefined {
  if (!existsSync(POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(POSTGRES_ROOT)
    .filter((version) => existsSync(path.join(POSTGRES_ROOT, version, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(POSTGRES_ROOT, versions[0], 'bin') : undefined;
}

/** initdb refuses to run as root: as root, the server runs as the `postgres` system user. */
function runAs(): RunAs | string {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) return 'running as root, and there is no postgres system user to run the server as';
  return { uid: Number(uid), gid: Number(gid) };
}

/** Why a private cluster cannot be started here, or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  if (!binDirectory()) return `no PostgreSQL server binaries (initdb, pg_ctl) under ${POSTGRES_ROOT}/*/bin`;
  const user = runAs();
  return typeof user === 'string' ? user : undefined;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDirectory();
  const user = runAs();
  if (!bin || typeof user === 'string') throw new Error(privatePostgresUnavailable());
  const root = await mkdtemp(path.join(tmpdir(), 'loket-pg-'));
  if (user) await chown(root, user.uid, user.gid);
  const dataDir = path.join(root, 'data');
  const logFile = path.join(root, 'server.log');
  const port = await freePort();
  const tool = (name: string, args: string[]) =>
    run(path.join(bin, name), args, {
      ...(user ?? {}),
      cwd: root,
      env: { PATH: RELIABILITY_ENV.PATH, LANG: 'C', LC_ALL: 'C' },
    });
  // fsync off: the data is thrown away after the test, and a clean restart loses nothing without it.
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () =>
    tool('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', serverOptions, 'start']);
  const stop = (mode: 'fast' | 'immediate') => tool('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);

  // A test process that dies without its afterAll must not leave a server running.
  const stopOnExit = () => {
    try {
      execFileSync(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], {
        ...(user ?? {}),
        stdio: 'ignore',
      });
    } catch {
      // Already stopped.
    }
  };

  try {
    await tool('initdb', [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    await start();
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  process.once('exit', stopOnExit);

  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async restart(options = {}) {
      const stoppedAt = Date.now();
      await stop('fast');
      await new Promise((resolve) => setTimeout(resolve, options.downMs ?? 0));
      await start();
      return { downMs: Date.now() - stoppedAt };
    },
    async close() {
      process.removeListener('exit', stopOnExit);
      await stop('immediate').catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
}
