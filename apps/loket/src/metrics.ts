import type { ChannelName, ChannelSettingsStore } from '@loket/core';
import type { GatewayObserver } from '@loket/gateway';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export type LoketMetrics = {
  gateway: GatewayObserver;
  observeHttp(method: string, route: string, status: number, seconds: number): void;
  contentType: string;
  render(): Promise<string>;
};

/**
 * The Prometheus metrics of one Loket process (`GET /metrics`). Counters start at zero with the
 * process, as Prometheus expects; the queue depth is read from the database at each scrape.
 */
export function createMetrics(deps: { channelSettings: ChannelSettingsStore }): LoketMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'loket_' });

  const inbound = new Counter({
    name: 'loket_inbound_messages_total',
    help: 'Citizen messages by channel and outcome (stored, duplicate, rejected)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const outbound = new Counter({
    name: 'loket_outbound_messages_total',
    help: 'Replies by channel and outcome (sent, retried, failed)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const deliveryLatency = new Histogram({
    name: 'loket_delivery_latency_seconds',
    help: 'From a reply being queued to the platform accepting it',
    labelNames: ['channel'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [registry],
  });
  const sla = new Counter({
    name: 'loket_sla_transitions_total',
    help: 'Tickets whose first-response deadline was warned about or breached',
    labelNames: ['transition'] as const,
    registers: [registry],
  });
  const http = new Histogram({
    name: 'loket_http_request_duration_seconds',
    help: 'API requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'loket_delivery_queue_depth',
    help: 'Replies waiting to be sent, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
    async collect() {
      const activity = await deps.channelSettings.activity(new Date());
      for (const [channel, counts] of Object.entries(activity)) this.set({ channel }, counts.queued);
    },
  });

  // Where this process's memory goes, read together at each scrape (the bench prints it beside VmRSS).
  // `external` includes the WebAssembly memories' committed size (PGlite's, Prisma's query compiler's).
  new Gauge({
    name: 'loket_process_memory_bytes',
    help: 'process.memoryUsage(): V8 heap used and total, external memory, ArrayBuffers',
    labelNames: ['kind'] as const,
    registers: [registry],
    collect() {
      const usage = process.memoryUsage();
      this.set({ kind: 'heap_used' }, usage.heapUsed);
      this.set({ kind: 'heap_total' }, usage.heapTotal);
      this.set({ kind: 'external' }, usage.external);
      this.set({ kind: 'array_buffers' }, usage.arrayBuffers);
    },
  });

  const count = (counter: Counter<'channel' | 'outcome'>, outcome: string) => (channel: ChannelName) =>
    counter.inc({ channel, outcome });
  return {
    gateway: {
      inboundStored: count(inbound, 'stored'),
      inboundDuplicate: count(inbound, 'duplicate'),
      inboundRejected: count(inbound, 'rejected'),
      delivered(channel, latencyMs) {
        outbound.inc({ channel, outcome: 'sent' });
        deliveryLatency.observe({ channel }, Math.max(0, latencyMs) / 1000);
      },
      deliveryRetried: count(outbound, 'retried'),
      deliveryFailed: count(outbound, 'failed'),
      slaWarned: (n) => sla.inc({ transition: 'warning' }, n),
      slaBreached: (n) => sla.inc({ transition: 'breached' }, n),
    },
    observeHttp(method, route, status, seconds) {
      http.observe({ method, route, status: String(status) }, seconds);
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
