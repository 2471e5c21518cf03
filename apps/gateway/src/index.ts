import type {
  AttachmentRecords,
  AuditLog,
  ChannelLeases,
  ChannelSettingsStore,
  Clock,
  DeliveryQueue,
  InboxStore,
  Logger,
  PeriodicJobs,
  PolicySource,
} from '@loket/core';
import { type DeliveryWorker, startDeliveryWorker } from './delivery-worker.ts';
import { createInboundPipeline, type InboundPipeline } from './inbound-pipeline.ts';
import { MediaStore } from './media-store.ts';
import type { GatewayObserver } from './observer.ts';
import { createOutboundPacer, pacedFactories } from './pacing.ts';
import {
  DEFAULT_RETENTION_SWEEP_INTERVAL_MS,
  type RetentionSweep,
  startRetentionSweep,
} from './retention-sweep.ts';
import { type SlaClock, startSlaClock } from './sla-clock.ts';
import { type ChannelFactories, ChannelSupervisor } from './supervisor.ts';
import {
  startWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherDeps,
} from './webhook-dispatcher.ts';

export { type DeliveryWorker, startDeliveryWorker } from './delivery-worker.ts';
export { createInboundPipeline, type InboundPipeline } from './inbound-pipeline.ts';
export { MediaStore } from './media-store.ts';
export type { GatewayObserver } from './observer.ts';
export { createOutboundPacer, messagesIn, type OutboundPacer, pacedFactories } from './pacing.ts';
export { type RetentionSweep, startRetentionSweep } from './retention-sweep.ts';
export { type SlaClock, startSlaClock } from './sla-clock.ts';
export { type ChannelFactories, ChannelSupervisor } from './supervisor.ts';
export { startWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.ts';
export { webhookSignature } from './webhook-signature.ts';

export type GatewayDeps = {
  store: InboxStore;
  deliveryQueue: DeliveryQueue;
  channelSettings: ChannelSettingsStore;
  policy: PolicySource;
  clock: Clock;
  logger: Logger;
  factories: ChannelFactories;
  /** The job queue the SLA clock and the retention sweep run on. */
  jobs: PeriodicJobs;
  mediaDir: string;
  maxAttachmentBytes?: number;
  deliveryPollIntervalMs?: number;
  /**
   * Deliveries queued by other processes (an API node), announced by the database (PostgreSQL's
   * LISTEN/NOTIFY): the worker starts sending at once instead of at its next poll. Returns how to stop
   * listening. Without it, such replies wait for the poll (`deliveryPollIntervalMs`).
   */
  deliveryAnnouncements?: (
    onQueued: () => void,
    onError: (error: unknown) => void,
  ) => Promise<() => Promise<void>>;
  /** How often the supervisor applies the stored channel settings (changes made by another process). Default 2 s. */
  channelReconcileIntervalMs?: number;
  /** Several gateways on one database: who runs each channel is decided by leases. */
  channelLeases?: { store: ChannelLeases; owner: string; ttlMs?: number };
  /** Hooks for metrics. */
  observer?: GatewayObserver;
  /** How often the SLA clock sweeps. Default 15 s. */
  slaSweepIntervalMs?: number;
  /**
   * The retention sweep (`retention.attachmentDays`) over the media store: every `intervalMs`
   * (default one hour) and once at start. Without it, no files are purged.
   */
  retention?: { attachments: AttachmentRecords; audit: AuditLog; intervalMs?: number };
  /** Outgoing webhooks: the event log and the endpoints (`events`, `endpoints`). Without it, none are sent. */
  webhooks?: Omit<WebhookDispatcherDeps, 'clock' | 'logger'>;
};

export type Gateway = {
  supervisor: ChannelSupervisor;
  inbound: InboundPipeline;
  delivery: DeliveryWorker;
  slaClock: SlaClock;
  retentionSweep: RetentionSweep | null;
  webhooks: WebhookDispatcher | null;
  media: MediaStore;
  stop(): Promise<void>;
};

/** The channel runtime: supervisor, inbound pipeline and delivery worker, started together. */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const logger = deps.logger.child({ component: 'gateway' });
  const media = new MediaStore(deps.mediaDir);
  let delivery: DeliveryWorker | undefined;
  // Each channel's outbound limits follow its runtime config: the supervisor hands the config to the
  // factory at every start and config change, and pacedFactories passes it on to the pacer.
  const pacer = createOutboundPacer();
  const inbound = createInboundPipeline({
    store: deps.store,
    clock: deps.clock,
    policy: deps.policy,
    media,
    logger,
    maxAttachmentBytes: deps.maxAttachmentBytes ?? 20 * 1024 * 1024,
    onRepliesQueued: () => delivery?.wake(),
    observer: deps.observer,
  });
  const supervisor = new ChannelSupervisor({
    settings: deps.channelSettings,
    factories: pacedFactories(deps.factories, pacer),
    inbound,
    recordReceipt: (channel, receipt) => deps.deliveryQueue.recordReceipt(channel, receipt),
    logger,
    clock: deps.clock,
    ...(deps.channelLeases
      ? {
          leases: {
            store: deps.channelLeases.store,
            owner: deps.channelLeases.owner,
            ttlMs: deps.channelLeases.ttlMs ?? 15_000,
          },
        }
      : {}),
    onStarted: () => delivery?.wake(),
    onFirstStart: async (channel) => {
      const released = await deps.deliveryQueue.releaseClaimed(channel);
      if (released)
        logger.warn({ channel, released }, 'deliveries left by the previous runner handed out again');
    },
  });
  delivery = startDeliveryWorker({
    queue: deps.deliveryQueue,
    files: media,
    clock: deps.clock,
    logger,
    runningAdapter: (channel) => supervisor.adapterOf(channel),
    runningChannels: () => supervisor.runningChannels(),
    observer: deps.observer,
    pollIntervalMs: deps.deliveryPollIntervalMs,
    pacer,
  });
  const stopAnnouncements = deps.deliveryAnnouncements
    ? await deps.deliveryAnnouncements(
        () => delivery?.wake(),
        (error) =>
          logger.warn({ err: error }, 'delivery announcements: listening failed; the worker polls meanwhile'),
      )
    : null;
  const slaClock = startSlaClock({
    store: deps.store,
    clock: deps.clock,
    policy: deps.policy,
    logger,
    intervalMs: deps.slaSweepIntervalMs ?? 15_000,
    jobs: deps.jobs,
    onNotified: () => delivery?.wake(),
    observer: deps.observer,
  });
  const retentionSweep = deps.retention
    ? startRetentionSweep({
        attachments: deps.retention.attachments,
        files: media,
        audit: deps.retention.audit,
        policy: deps.policy,
        clock: deps.clock,
        logger,
        intervalMs: deps.retention.intervalMs ?? DEFAULT_RETENTION_SWEEP_INTERVAL_MS,
        jobs: deps.jobs,
      })
    : null;
  const webhooks = deps.webhooks
    ? startWebhookDispatcher({ ...deps.webhooks, clock: deps.clock, logger })
    : null;
  await supervisor.startEnabled();
  supervisor.reconcileEvery(deps.channelReconcileIntervalMs ?? 2000);
  return {
    supervisor,
    inbound,
    delivery,
    slaClock,
    retentionSweep,
    webhooks,
    media,
    async stop() {
      await stopAnnouncements?.();
      await webhooks?.stop();
      await slaClock.stop();
      await retentionSweep?.stop();
      await supervisor.stopAll();
      await delivery?.stop();
    },
  };
}
