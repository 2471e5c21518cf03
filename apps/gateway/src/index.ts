import type {
  ChannelSettingsStore,
  Clock,
  DeliveryQueue,
  InboxStore,
  Logger,
  PolicySource,
} from '@loket/core';
import { type DeliveryWorker, startDeliveryWorker } from './delivery-worker.ts';
import { createInboundPipeline, type InboundPipeline } from './inbound-pipeline.ts';
import { MediaStore } from './media-store.ts';
import { type SlaClock, startSlaClock } from './sla-clock.ts';
import { type ChannelFactories, ChannelSupervisor } from './supervisor.ts';

export { type DeliveryWorker, startDeliveryWorker } from './delivery-worker.ts';
export { createInboundPipeline, type InboundPipeline } from './inbound-pipeline.ts';
export { MediaStore } from './media-store.ts';
export { type SlaClock, startSlaClock } from './sla-clock.ts';
export { type ChannelFactories, ChannelSupervisor } from './supervisor.ts';

export type GatewayDeps = {
  store: InboxStore;
  deliveryQueue: DeliveryQueue;
  channelSettings: ChannelSettingsStore;
  policy: PolicySource;
  clock: Clock;
  logger: Logger;
  factories: ChannelFactories;
  mediaDir: string;
  maxAttachmentBytes?: number;
  deliveryPollIntervalMs?: number;
  /** How often the SLA clock sweeps. Default 15 s. */
  slaSweepIntervalMs?: number;
};

export type Gateway = {
  supervisor: ChannelSupervisor;
  inbound: InboundPipeline;
  delivery: DeliveryWorker;
  slaClock: SlaClock;
  media: MediaStore;
  stop(): Promise<void>;
};

/** The channel runtime: supervisor, inbound pipeline and delivery worker, started together. */
export async function startGateway(deps: GatewayDeps): Promise<Gateway> {
  const logger = deps.logger.child({ component: 'gateway' });
  const media = new MediaStore(deps.mediaDir);
  let delivery: DeliveryWorker | undefined;
  const inbound = createInboundPipeline({
    store: deps.store,
    clock: deps.clock,
    policy: deps.policy,
    media,
    logger,
    maxAttachmentBytes: deps.maxAttachmentBytes ?? 20 * 1024 * 1024,
    onRepliesQueued: () => delivery?.wake(),
  });
  const supervisor = new ChannelSupervisor({
    settings: deps.channelSettings,
    factories: deps.factories,
    inbound,
    recordReceipt: (channel, receipt) => deps.deliveryQueue.recordReceipt(channel, receipt),
    logger,
    onStarted: () => delivery?.wake(),
  });
  delivery = startDeliveryWorker({
    queue: deps.deliveryQueue,
    files: media,
    clock: deps.clock,
    logger,
    runningAdapter: (channel) => supervisor.adapterOf(channel),
    runningChannels: () => supervisor.runningChannels(),
    pollIntervalMs: deps.deliveryPollIntervalMs,
  });
  const slaClock = startSlaClock({
    store: deps.store,
    clock: deps.clock,
    policy: deps.policy,
    logger,
    intervalMs: deps.slaSweepIntervalMs ?? 15_000,
    onNotified: () => delivery?.wake(),
  });
  await supervisor.startEnabled();
  return {
    supervisor,
    inbound,
    delivery,
    slaClock,
    media,
    async stop() {
      await slaClock.stop();
      await supervisor.stopAll();
      await delivery?.stop();
    },
  };
}
