import type { ChannelName } from '@loket/core';

/**
 * What the gateway tells whoever measures it (Prometheus counters in the app). Every hook is
 * optional; the gateway never waits on one.
 */
export type GatewayObserver = {
  inboundStored?(channel: ChannelName): void;
  inboundDuplicate?(channel: ChannelName): void;
  inboundRejected?(channel: ChannelName, reason: string): void;
  /** A reply reached the platform, `latencyMs` after it was queued. */
  delivered?(channel: ChannelName, latencyMs: number): void;
  deliveryRetried?(channel: ChannelName): void;
  deliveryFailed?(channel: ChannelName): void;
  slaWarned?(count: number): void;
  slaBreached?(count: number): void;
};
