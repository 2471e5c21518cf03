// `GET /v1/tickets?limit=50` on the real API (createApi over the real repositories, on
// @hono/node-server), beside a bare Hono route with the same bearer-token check (sha256, then the
// user looked up by its hash in the same database) that answers a small JSON, and beside the floor
// for the same page (ticket-page-floor.ts: the same auth, hand-written SQL and JSON). Same run.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApi, generateToken, hashToken } from '@loket/api';
import {
  complaintContextFor,
  replyWindowsFor,
  StoredChannelControl,
  silentLogger,
  systemClock,
} from '@loket/core';
import { createRepositories, type Database } from '@loket/db';
import { Hono } from 'hono';
import type pg from 'pg';
import { type LoadFigures, runAutocannon, runPacedLoad } from './autocannon-run.ts';
import { floorPage } from './ticket-page-floor.ts';

export type TicketsApiFigures = {
  api: LoadFigures;
  bare: LoadFigures;
  /** The same page by hand-written SQL and JSON after the same auth: the floor for the real API. */
  floor: LoadFigures;
  /** The API at a steady rate, half its own ceiling (`api`): an open loop (paced-load-child.mjs). */
  apiAtRate: LoadFigures & { rate: number };
  pageSize: number;
};

type Repos = ReturnType<typeof createRepositories>;

function realApi(repos: Repos) {
  return createApi({
    store: repos.inbox,
    tickets: repos.tickets,
    complaints: repos.complaints,
    complaintContext: async () => complaintContextFor(await repos.settings.getPolicy(), systemClock.now()),
    users: repos.users,
    settings: repos.settings,
    audit: repos.audit,
    reports: repos.reports,
    attachments: repos.attachments,
    contacts: repos.contacts,
    cannedResponses: repos.cannedResponses,
    // An API-only process: channel control through the stored settings, no channels running.
    channels: new StoredChannelControl({
      settings: repos.channelSettings,
      configured: () => false,
      clock: systemClock,
    }),
    events: repos.events,
    webhookEndpoints: repos.webhookEndpoints,
    replyWindows: replyWindowsFor({ instagramHumanAgentTag: false }),
    clock: systemClock,
    logger: silentLogger,
  });
}

/**
 * The yardstick: the same auth (hash, then a lookup by hash), then a small JSON (`/bare`);
 * and after the same auth, the page by hand (`/page`).
 */
function bareApp(repos: Repos, pool: pg.Pool, pageSize: number): Hono {
  const app = new Hono();
  const authorised = async (header: string | undefined) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    const user = match?.[1] ? await repos.users.findByTokenHash(hashToken(match[1])) : null;
    return user?.active ? user : null;
  };
  app.get('/bare', async (c) => {
    const user = await authorised(c.req.header('authorization'));
    if (!user) return c.json({ error: 'unauthorized' }, 401);
    return c.json({ ok: true, user: user.id });
  });
  app.get('/page', async (c) => {
    if (!(await authorised(c.req.header('authorization')))) return c.json({ error: 'unauthorized' }, 401);
    return floorPage(c, pool, pageSize);
  });
  return app;
}

async function listen(fetch: (request: Request) => Response | Promise<Response>) {
  const server = serve({ fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', () => resolve());
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

export async function measureTicketsApi(
  database: Database,
  pool: pg.Pool,
  options: { seconds: number; connections: number },
): Promise<TicketsApiFigures> {
  const repos = createRepositories(database);
  const token = generateToken();
  await repos.users.create({
    name: 'Bench Officer',
    email: `bench-${process.pid}@bench.local`,
    role: 'officer',
    tokenHash: hashToken(token),
  });
  const pageSize = 50;
  const api = await listen(realApi(repos).fetch);
  const bare = await listen(bareApp(repos, pool, pageSize).fetch);
  try {
    const check = await fetch(`${api.url}/v1/tickets?limit=${pageSize}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await check.json()) as { items?: unknown[] };
    if (check.status !== 200 || body.items?.length !== pageSize)
      throw new Error(`GET /v1/tickets answered ${check.status} with ${body.items?.length} items`);
    const floorCheck = await fetch(`${bare.url}/page`, { headers: { authorization: `Bearer ${token}` } });
    const floorBody = (await floorCheck.json()) as { items?: unknown[] };
    if (JSON.stringify(floorBody.items?.[0]) !== JSON.stringify(body.items?.[0]))
      throw new Error('the floor page does not answer what the API answers');
    const bareFigures = await runAutocannon(`${bare.url}/bare`, { ...options, token });
    const floorFigures = await runAutocannon(`${bare.url}/page`, { ...options, token });
    const listUrl = `${api.url}/v1/tickets?limit=${pageSize}`;
    const apiFigures = await runAutocannon(listUrl, { ...options, token });
    // Latency at saturation is the queue (connections ÷ throughput); at a steady half of the ceiling
    // it is the service time plus the waits a busy server really has.
    const rate = Math.max(1, Math.round(apiFigures.requestsPerSecond / 2));
    const atRate = await runPacedLoad(listUrl, { ...options, token, rate });
    return {
      api: apiFigures,
      bare: bareFigures,
      floor: floorFigures,
      apiAtRate: { ...atRate, rate },
      pageSize,
    };
  } finally {
    await api.close();
    await bare.close();
  }
}
