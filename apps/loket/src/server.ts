import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { createApi, hashToken } from '@loket/api';
import { complaintContextFor, replyWindowsFor, systemClock } from '@loket/core';
import { createRepositories, type DatabaseTarget, openMigratedDatabase } from '@loket/db';
import { startGateway } from '@loket/gateway';
import { channelFactories, metaWebhooks, telegramWebhook, whatsappPairing } from './channels.ts';
import type { Env } from './env.ts';
import type { AppLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';

export type RunningLoket = { url: string; stop(): Promise<void> };

export function databaseTarget(env: Env): DatabaseTarget {
  return env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL }
    : { kind: 'pglite', dataDir: path.resolve(env.DATA_DIR) };
}

/** `loket start`: migrate, then the gateway and the API in one process. */
export async function startLoket(env: Env, logger: AppLogger): Promise<RunningLoket> {
  const startedAt = performance.now();
  const dataDir = path.resolve(env.DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const target = databaseTarget(env);

  // One open of the database: migrate it (the WASM engine loads only when something is pending), then serve.
  const database = await openMigratedDatabase(target);
  if (database.migration.applied.length)
    logger.info({ applied: database.migration.applied }, 'migrations applied');
  const repos = createRepositories(database.prisma);
  await bootstrapAdmin(env, repos.users, logger);

  const metrics = createMetrics({ channelSettings: repos.channelSettings });
  const gateway = await startGateway({
    store: repos.inbox,
    deliveryQueue: repos.deliveryQueue,
    channelSettings: repos.channelSettings,
    policy: { current: () => repos.settings.getPolicy() },
    clock: systemClock,
    logger,
    factories: channelFactories(env, logger, repos),
    mediaDir: path.join(dataDir, 'media'),
    maxAttachmentBytes: env.MAX_ATTACHMENT_BYTES,
    slaSweepIntervalMs: env.SLA_SWEEP_INTERVAL_MS,
    observer: metrics.gateway,
    retention: {
      attachments: repos.attachments,
      audit: repos.audit,
      intervalMs: env.RETENTION_SWEEP_INTERVAL_MS,
    },
    webhooks: { events: repos.events, endpoints: repos.webhookEndpoints },
  });

  const api = createApi({
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
    channels: gateway.supervisor,
    clock: systemClock,
    logger: logger.child({ component: 'api' }),
    bodyLimitBytes: env.BODY_LIMIT,
    files: gateway.media,
    maxAttachmentBytes: env.MAX_ATTACHMENT_BYTES,
    webhooks: { telegram: telegramWebhook(gateway.supervisor), ...metaWebhooks(env, gateway.supervisor) },
    events: repos.events,
    metrics,
    metricsToken: env.METRICS_TOKEN,
    webhookEndpoints: repos.webhookEndpoints,
    replyWindows: replyWindowsFor({ instagramHumanAgentTag: env.INSTAGRAM_GRAPH_HUMAN_AGENT }),
    whatsappPairing: whatsappPairing(gateway.supervisor),
    onReplyQueued: () => gateway.delivery.wake(),
  });

  const server = serve({ fetch: api.fetch, port: env.PORT, hostname: env.HOST });
  const address = await new Promise<{ port: number }>((resolve, reject) => {
    server.once('listening', () => resolve(server.address() as { port: number }));
    server.once('error', reject);
  });
  const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${address.port}`;
  logger.info(
    { url, database: database.kind, startupMs: Math.round(performance.now() - startedAt) },
    'loket is serving',
  );

  return {
    url,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Live event streams never end by themselves; close them so the server can.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      await gateway.stop();
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
