import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApi, hashToken } from '@loket/api';
import { complaintContextFor, replyWindowsFor, StoredChannelControl, systemClock } from '@loket/core';
import {
  createRepositories,
  type DatabaseTarget,
  DELIVERY_CHANNEL,
  openMigratedDatabase,
  startJobRunner,
} from '@loket/db';
import { MediaStore, startGateway } from '@loket/gateway';
import { channelFactories, metaWebhooks, telegramWebhook, whatsappPairing } from './channels.ts';
import type { Env, LoketRole } from './env.ts';
import type { AppLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';

export type RunningLoket = { url: string; stop(): Promise<void> };

export function databaseTarget(env: Env): DatabaseTarget {
  return env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL }
    : { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR) };
}

/**
 * `loket start`: migrate, then serve. `all` (the default) runs the API and the gateway in one
 * process. With PostgreSQL they can run apart: any number of `api` processes, and one or more
 * `gateway` processes that share the channels through leases (each channel runs on one of them).
 */
export async function startLoket(
  env: Env,
  logger: AppLogger,
  role: LoketRole = env.LOKET_ROLE,
): Promise<RunningLoket> {
  const startedAt = performance.now();
  const dataDir = path.resolve(env.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const target = databaseTarget(env);
  if (role !== 'all' && target.kind !== 'postgres') {
    throw new Error(
      `--role ${role} needs PostgreSQL (DATABASE_URL): the embedded database serves one process`,
    );
  }

  // One open of the database: migrate it (the WASM engine loads only when something is pending), then serve.
  const database = await openMigratedDatabase(target);
  if (database.migration.applied.length)
    logger.info({ applied: database.migration.applied }, 'migrations applied');
  const repos = createRepositories(database);
  await bootstrapAdmin(env, repos.users, logger);

  const metrics = createMetrics({ channelSettings: repos.channelSettings });
  const factories = channelFactories(env, logger, repos);
  // The job queue's runner (pg-boss): gateways supervise the queue and run the sweeps on it. An API
  // process only enqueues, in its own transactions, which needs no runner.
  const jobs =
    role === 'api'
      ? null
      : await startJobRunner(database.jobs, { logger: logger.child({ component: 'jobs' }) });
  const gateway = !jobs
    ? null
    : await startGateway({
        store: repos.inbox,
        deliveryQueue: repos.deliveryQueue,
        channelSettings: repos.channelSettings,
        policy: { current: () => repos.settings.getPolicy() },
        clock: systemClock,
        logger,
        factories,
        jobs,
        mediaDir: path.join(dataDir, 'media'),
        maxAttachmentBytes: env.MAX_ATTACHMENT_BYTES,
        slaSweepIntervalMs: env.SLA_SWEEP_INTERVAL_MS,
        // Replies an API node queues reach the channel at once (on one process: a direct wake too).
        deliveryAnnouncements: (onQueued, onError) => database.listen(DELIVERY_CHANNEL, onQueued, onError),
        observer: metrics.gateway,
        retention: {
          attachments: repos.attachments,
          audit: repos.audit,
          intervalMs: env.RETENTION_SWEEP_INTERVAL_MS,
        },
        webhooks: {
          events: repos.events,
          endpoints: repos.webhookEndpoints,
          disableAfterMs: env.WEBHOOK_DISABLE_AFTER_MS,
        },
        // In one process there is nobody to share with; apart, each channel needs one runner.
        ...(role === 'gateway'
          ? { channelLeases: { store: repos.channelLeases, owner: `${hostname()}:${process.pid}` } }
          : {}),
      });

  const api = createApi({
    surface: role === 'gateway' ? 'gateway' : 'full',
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
    channels:
      gateway?.supervisor ??
      new StoredChannelControl({
        settings: repos.channelSettings,
        configured: (channel) => Boolean(factories[channel]),
        clock: systemClock,
        leases: repos.channelLeases,
      }),
    clock: systemClock,
    logger: logger.child({ component: 'api' }),
    bodyLimitBytes: env.BODY_LIMIT,
    // Apart from the gateway, the API reaches the same files through a shared DATA_DIR.
    files: gateway?.media ?? new MediaStore(path.join(dataDir, 'media')),
    maxAttachmentBytes: env.MAX_ATTACHMENT_BYTES,
    ...(gateway
      ? {
          webhooks: {
            telegram: telegramWebhook(gateway.supervisor),
            ...metaWebhooks(env, gateway.supervisor),
          },
          whatsappPairing: whatsappPairing(gateway.supervisor),
          onReplyQueued: () => gateway.delivery.wake(),
        }
      : {}),
    events: repos.events,
    metrics,
    metricsToken: env.METRICS_TOKEN,
    webhookEndpoints: repos.webhookEndpoints,
    replyWindows: replyWindowsFor({ instagramHumanAgentTag: env.INSTAGRAM_GRAPH_HUMAN_AGENT }),
  });

  const server = serve({
    fetch: api.fetch,
    port: env.PORT,
    hostname: env.HOST,
    // Slow clients (slowloris) are cut: the headers within a bounded time, the whole request too,
    // checked every second (Node checks every 30 s by default).
    serverOptions: {
      headersTimeout: env.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeout: Math.max(env.HTTP_REQUEST_TIMEOUT_MS, env.HTTP_HEADERS_TIMEOUT_MS),
      keepAliveTimeout: 5000,
      connectionsCheckingInterval: 1000,
    },
  });
  const address = await new Promise<{ port: number }>((resolve, reject) => {
    server.once('listening', () => resolve(server.address() as { port: number }));
    server.once('error', reject);
  });
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${address.port}`;
  logger.info(
    { url, role, database: database.kind, startupMs: Math.round(performance.now() - startedAt) },
    'loket is serving',
  );

  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Live event streams never end by themselves; close them so the server can.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      await gateway?.stop();
      await jobs?.stop();
      await database.close();
    },
  };
}

/** LOKET_ADMIN_TOKEN creates the first admin, so a fresh install can be driven over the API. */
async function bootstrapAdmin(
  env: Env,
  users: ReturnType<typeof createRepositories>['users'],
  logger: AppLogger,
): Promise<void> {
  if (!env.LOKET_ADMIN_TOKEN || (await users.countAdmins()) > 0) return;
  await users.create({
    name: 'Administrator',
    email: 'admin@loket.local',
    role: 'admin',
    tokenHash: hashToken(env.LOKET_ADMIN_TOKEN),
  });
  logger.info('first admin created from LOKET_ADMIN_TOKEN');
}
