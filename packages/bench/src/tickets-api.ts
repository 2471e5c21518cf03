// `GET /v1/tickets?limit=50` on the real API (createApi over the real repositories, on
// @hono/node-server), beside a bare Hono route with the same bearer-token check (sha256, then the
// user looked up by its hash in the same database) that answers a small JSON. Same autocannon run.
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
import { type LoadFigures, runAutocannon, runPacedLoad } from './autocannon-run.ts';

export type TicketsApiFigures = {
  api: LoadFigures;
  bare: LoadFigures;
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

/** The floor for the API: the same auth (hash, then a lookup by hash), then a small JSON. */
function bareApp(repos: Repos): Hono {
  const app = new Hono();
  app.get('/bare', async (c) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    const user = match?.[1] ? await repos.users.findByTokenHash(hashToken(match[1])) : null;
    if (!user?.active) return c.json({ error: 'unauthorized' }, 401);
    return c.json({ ok: true, user: user.id });
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
  const api = await listen(realApi(repos).fetch);
  const bare = await listen(bareApp(repos).fetch);
  const pageSize = 50;
  try {
    const check = await fetch(`${api.url}/v1/tickets?limit=${pageSize}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await check.json()) as { items?: unknown[] };
    if (check.status !== 200 || body.items?.length !== pageSize)
      throw new Error(`GET /v1/tickets answered ${check.status} with ${body.items?.length} items`);
    const bareFigures = await runAutocannon(`${bare.url}/bare`, { ...options, token });
    const listUrl = `${api.url}/v1/tickets?limit=${pageSize}`;
    const apiFigures = await runAutocannon(listUrl, { ...options, token });
    // Latency at saturation is the queue (connections ÷ throughput); at a steady half of the ceiling
    // it is the service time plus the waits a busy server really has.
    const rate = Math.max(1, Math.round(apiFigures.requestsPerSecond / 2));
    const atRate = await runPacedLoad(listUrl, { ...options, token, rate });
    return { api: apiFigures, bare: bareFigures, apiAtRate: { ...atRate, rate }, pageSize };
  } finally {
    await api.close();
    await bare.close();
  }
}
