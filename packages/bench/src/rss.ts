// RSS of one Loket process (`pnpm start`, on PostgreSQL or the embedded database) with Telegram (fake
// Bot API, long polling), Instagram (fake private API) and WhatsApp Cloud (fake Graph API) switched on
// and connected. Read from /proc/<pid>/status (VmRSS) of the node process that runs Loket, not of the
// pnpm wrapper, with a breakdown of where it goes (process-memory.ts).
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startFakeGraph, startFakeInstagram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { childEnvironment } from './env.ts';
import {
  type ReportedMemory,
  reportedMemory,
  type SmapsBreakdown,
  smapsBreakdown,
} from './process-memory.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const METRICS_TOKEN = 'bench-metrics-token-0123456789';
const CHANNELS = ['telegram', 'instagram', 'whatsapp-cloud'] as const;

export type RssFigures = {
  loketMb: number;
  idleMb: number;
  treeMb: number;
  processes: string[];
  smaps: SmapsBreakdown;
  reported: ReportedMemory;
};

type Proc = { pid: number; ppid: number; rssKb: number; command: string };

async function processes(): Promise<Proc[]> {
  const found: Proc[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = await readFile(`/proc/${entry}/status`, 'utf8');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const rssKb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      found.push({ pid: Number(entry), ppid, rssKb, command });
    } catch {
      // The process ended while we read it.
    }
  }
  return found;
}

async function descendants(root: number): Promise<Proc[]> {
  const all = await processes();
  const tree: Proc[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    for (const proc of all.filter((p) => p.ppid === pid)) {
      tree.push(proc);
      queue.push(proc.pid);
    }
  }
  return tree;
}

/**
 * The node process that runs Loket: `node scripts/start.mjs` (compiled) or tsx's child
 * (`node --require …tsx… src/main.ts`), else the largest node one.
 */
async function loketProcess(root: number): Promise<Proc | undefined> {
  const tree = [...(await processes()).filter((p) => p.pid === root), ...(await descendants(root))];
  const nodes = tree.filter((p) => /(^|\/)node$/.test(p.command.split(' ')[0] ?? ''));
  const runsLoket = (command: string) =>
    command.includes('scripts/start.mjs') ||
    (command.includes('src/main.ts') && !command.includes('tsx/dist/cli'));
  const loket = nodes.filter((p) => runsLoket(p.command));
  return [...(loket.length ? loket : nodes)].sort((a, b) => b.rssKb - a.rssKb)[0];
}

/** `databaseUrl`: a PostgreSQL database for Loket; without it, the embedded default in a fresh DATA_DIR. */
export async function measureRss(databaseUrl?: string): Promise<RssFigures> {
  const telegram = await startFakeTelegram();
  const instagram = await startFakeInstagram();
  const graph = await startFakeGraph();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-bench-rss-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = childEnvironment({
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
    METRICS_TOKEN,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    INSTAGRAM_USERNAME: instagram.account.username,
    INSTAGRAM_PASSWORD: instagram.account.password,
    INSTAGRAM_API_ROOT: instagram.apiRoot,
    WHATSAPP_CLOUD_ACCESS_TOKEN: graph.accessToken,
    WHATSAPP_CLOUD_PHONE_NUMBER_ID: graph.phoneNumberId,
    WHATSAPP_CLOUD_APP_SECRET: 'bench-wa-app-secret-0123',
    WHATSAPP_CLOUD_VERIFY_TOKEN: 'bench-wa-verify-0123',
    WHATSAPP_CLOUD_API_ROOT: graph.apiRoot,
  });
  const child = spawn('pnpm', ['start'], { cwd: REPO_ROOT, env, detached: true, stdio: 'ignore' });
  const api = (method: string, route: string, body?: unknown) =>
    fetch(`${url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  try {
    await waitUntil(
      () =>
        fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      { timeoutMs: 120_000 },
    );
    const idleMb = ((await loketProcess(child.pid as number))?.rssKb ?? 0) / 1024;
    for (const channel of CHANNELS) {
      const response = await api('PATCH', `/v1/admin/channels/${channel}`, { enabled: true });
      if (!response.ok) throw new Error(`enabling ${channel}: ${response.status} ${await response.text()}`);
    }
    const statuses = async () => {
      const body = (await (await api('GET', '/v1/admin/channels')).json()) as {
        items: { channel: string; status: string }[];
      };
      return CHANNELS.map((channel) => body.items.find((c) => c.channel === channel)?.status ?? 'missing');
    };
    await waitUntil(async () => (await statuses()).every((s) => s === 'connected'), { timeoutMs: 30_000 });
    // Let the pollers settle into their steady state before reading.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const tree = await descendants(child.pid as number);
    const main = await loketProcess(child.pid as number);
    if (!main) throw new Error('no node process found under pnpm start');
    const rootRss = (await processes()).find((p) => p.pid === child.pid)?.rssKb ?? 0;
    return {
      smaps: await smapsBreakdown(main.pid),
      reported: await reportedMemory(url, METRICS_TOKEN),
      loketMb: main.rssKb / 1024,
      idleMb,
      treeMb: (rootRss + tree.reduce((sum, p) => sum + p.rssKb, 0)) / 1024,
      processes: tree.map((p) => `${p.pid} ${Math.round(p.rssKb / 1024)} MB ${p.command.slice(0, 90)}`),
    };
  } finally {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await Promise.all([telegram.close(), instagram.close(), graph.close()]);
    await rm(dataDir, { recursive: true, force: true });
  }
}
