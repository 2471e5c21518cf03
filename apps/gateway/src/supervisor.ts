import {
  type ChannelAdapter,
  type ChannelConfig,
  type ChannelControl,
  type ChannelLeases,
  type ChannelName,
  type ChannelSettingsStore,
  type ChannelStatus,
  type ChannelView,
  type Clock,
  channelViews,
  type DeliveryReceipt,
  type Logger,
  parseChannelConfig,
  requireConfigured,
  systemClock,
} from '@loket/core';
import type { InboundPipeline } from './inbound-pipeline.ts';

/**
 * Builds a channel's adapter from the admin's runtime settings (the environment fills the rest).
 * Present only for channels whose credentials are configured.
 */
export type ChannelFactories = Partial<Record<ChannelName, (config: ChannelConfig) => ChannelAdapter>>;

type Running = { adapter: ChannelAdapter; abort: AbortController; config: string };

/**
 * Starts the enabled channels and starts or stops one when an admin toggles it, without a restart.
 * The wish lives in the database: `reconcile()` (run on an interval) applies what is stored, so an
 * admin's change made through another process (a separate API server) reaches this gateway too.
 * Each adapter runs under its own AbortSignal; its status goes to the settings store.
 */
export class ChannelSupervisor implements ChannelControl {
  private readonly running = new Map<ChannelName, Running>();
  /** Channels this process has run at least once (see `onFirstStart`). */
  private readonly startedBefore = new Set<ChannelName>();
  /** Serialises changes, so a quick off-on-off ends in the last state asked for. */
  private queue: Promise<unknown> = Promise.resolve();
  private reconcileTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      settings: ChannelSettingsStore;
      factories: ChannelFactories;
      inbound: InboundPipeline;
      /** Stores a platform's delivery report on one of our messages. */
      recordReceipt(channel: ChannelName, receipt: DeliveryReceipt): Promise<unknown>;
      logger: Logger;
      clock?: Clock;
      /**
       * With several gateways on one database: a channel runs only on the gateway holding its lease.
       * Without leases (one process) every enabled channel runs here.
       */
      leases?: { store: ChannelLeases; owner: string; ttlMs: number };
      onStarted?: (channel: ChannelName) => void;
      /**
       * Before a channel first runs in this process (at boot, or when this gateway takes it over from
       * one that died): what the previous runner left half done is handed out again.
       */
      onFirstStart?: (channel: ChannelName) => Promise<void>;
    },
  ) {}

  async startEnabled(): Promise<void> {
    await this.reconcile();
  }

  /** Applies the stored settings every `intervalMs` until `stopAll()`. */
  reconcileEvery(intervalMs: number): void {
    clearInterval(this.reconcileTimer);
    this.reconcileTimer = setInterval(() => {
      this.reconcile().catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, 'could not read the channel settings; trying again');
      });
    }, intervalMs);
    this.reconcileTimer.unref();
  }

  /** Brings the running adapters in line with the stored settings (enabled, and their config). */
  reconcile(): Promise<void> {
    return this.serially(async () => {
      for (const setting of await this.deps.settings.list()) {
        const { channel } = setting;
        const running = this.running.get(channel);
        if (!setting.enabled) {
          if (running) await this.stop(channel);
          continue;
        }
        if (this.deps.factories[channel] && !(await this.holdLease(channel))) {
          // Another gateway runs it. If it was ours (our lease ran out), stop: one runner at a time.
          if (running) await this.stop(channel, false);
          continue;
        }
        if (!this.deps.factories[channel]) {
          if (setting.status !== 'error') {
            await this.deps.settings.setStatus(
              channel,
              'error',
              'enabled, but not configured in the environment',
            );
          }
          continue;
        }
        if (running && running.config !== JSON.stringify(setting.config)) await this.stop(channel, false);
        if (!this.running.has(channel)) await this.start(channel, setting.config);
      }
    });
  }

  list(): Promise<ChannelView[]> {
    return channelViews(
      this.deps.settings,
      (c) => Boolean(this.deps.factories[c]),
      this.now(),
      this.deps.leases?.store,
    );
  }

  setEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelView> {
    return this.serially(async () => {
      if (enabled) requireConfigured(channel, Boolean(this.deps.factories[channel]));
      const setting = await this.deps.settings.setEnabled(channel, enabled);
      if (!enabled) await this.stop(channel);
      else if (await this.holdLease(channel)) await this.start(channel, setting.config);
      return this.viewOf(channel);
    });
  }

  configure(channel: ChannelName, config: ChannelConfig): Promise<ChannelView> {
    const parsed = parseChannelConfig(channel, config);
    return this.serially(async () => {
      const setting = await this.deps.settings.setConfig(channel, parsed);
      // A running channel picks the new settings up by restarting; a stopped one at its next start.
      if (this.running.has(channel)) {
        await this.stop(channel, false);
        await this.start(channel, setting.config);
      }
      return this.viewOf(channel);
    });
  }

  async isEnabled(channel: ChannelName): Promise<boolean> {
    return (await this.deps.settings.list()).some((s) => s.channel === channel && s.enabled);
  }

  adapterOf(channel: ChannelName): ChannelAdapter | undefined {
    return this.running.get(channel)?.adapter;
  }

  runningChannels(): ChannelName[] {
    return [...this.running.keys()];
  }

  async stopAll(): Promise<void> {
    clearInterval(this.reconcileTimer);
    this.reconcileTimer = undefined;
    await this.serially(() => Promise.all([...this.running.keys()].map((channel) => this.stop(channel))));
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  /** Takes or renews this gateway's lease on the channel; always true without leases. */
  private async holdLease(channel: ChannelName): Promise<boolean> {
    const leases = this.deps.leases;
    if (!leases) return true;
    return leases.store.acquire(channel, leases.owner, leases.ttlMs);
  }

  private now(): Date {
    return (this.deps.clock ?? systemClock).now();
  }

  private async viewOf(channel: ChannelName): Promise<ChannelView> {
    const view = (await this.list()).find((v) => v.channel === channel);
    if (!view) throw new Error(`unknown channel ${channel}`);
    return view;
  }

  private async start(channel: ChannelName, config: ChannelConfig): Promise<void> {
    if (this.running.has(channel)) return;
    const factory = this.deps.factories[channel];
    if (!factory) return;
    const log = this.deps.logger.child({ channel });
    let adapter: ChannelAdapter;
    try {
      adapter = factory(config);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      log.error({ detail }, 'channel could not be built from its settings');
      await this.deps.settings.setStatus(channel, 'error', detail);
      return;
    }
    const abort = new AbortController();
    await this.deps.settings.setStatus(channel, 'starting', null);
    if (!this.startedBefore.has(channel)) {
      this.startedBefore.add(channel);
      await this.deps.onFirstStart?.(channel).catch((error: unknown) => {
        log.warn({ err: error }, 'could not hand out what the previous runner left');
      });
    }
    adapter
      .start({
        signal: abort.signal,
        onMessage: (message) => this.deps.inbound.handle(message),
        onStatus: (status) => this.recordStatus(channel, status, abort.signal),
        onRejected: (reason, detail) => this.deps.inbound.reject(channel, reason, detail),
        onReferral: (referral) => this.deps.inbound.remember(referral),
        onDeliveryReceipt: async (receipt) => {
          await this.deps.recordReceipt(channel, receipt);
        },
      })
      .catch(async (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        log.error({ detail }, 'channel failed to start');
        if (!abort.signal.aborted) await this.deps.settings.setStatus(channel, 'error', detail);
      });
    this.running.set(channel, { adapter, abort, config: JSON.stringify(config) });
    log.info('channel started');
    this.deps.onStarted?.(channel);
  }

  /** Stops the adapter; `markDisabled` false when it is about to start again with new settings. */
  private async stop(channel: ChannelName, markDisabled = true): Promise<void> {
    const running = this.running.get(channel);
    this.running.delete(channel);
    if (running) {
      running.abort.abort();
      await running.adapter.stop().catch((error: unknown) => {
        this.deps.logger.warn({ channel, err: error }, 'channel did not stop cleanly');
      });
      this.deps.logger.info({ channel }, 'channel stopped');
    }
    // Given back at once, so another gateway need not wait for it to run out.
    if (running && this.deps.leases) {
      await this.deps.leases.store.release(channel, this.deps.leases.owner).catch((error: unknown) => {
        this.deps.logger.warn({ channel, err: error }, 'could not release the channel lease');
      });
    }
    if (markDisabled) await this.deps.settings.setStatus(channel, 'disabled', null);
  }

  private recordStatus(channel: ChannelName, status: ChannelStatus, signal: AbortSignal): void {
    // A stopped adapter's last words must not overwrite `disabled`.
    if (signal.aborted) return;
    this.deps.settings.setStatus(channel, status.state, status.detail ?? null).catch((error: unknown) => {
      this.deps.logger.warn({ channel, err: error }, 'could not record channel status');
    });
  }
}
