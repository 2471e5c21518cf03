import {
  CHANNELS,
  type ChannelAdapter,
  type ChannelControl,
  type ChannelName,
  type ChannelSettingsStore,
  type ChannelStatus,
  type ChannelView,
  type DeliveryReceipt,
  DomainError,
  type Logger,
} from '@loket/core';
import type { InboundPipeline } from './inbound-pipeline.ts';

/** Builds a channel's adapter from its configuration. Present only for channels that are configured. */
export type ChannelFactories = Partial<Record<ChannelName, () => ChannelAdapter>>;

type Running = { adapter: ChannelAdapter; abort: AbortController; finished: Promise<void> };

/**
 * Starts the enabled channels and starts or stops one when an admin toggles it, without a restart.
 * Each channel's adapter runs under its own AbortSignal; its status goes to the settings store, where
 * `GET /v1/admin/channels` reads it.
 */
export class ChannelSupervisor implements ChannelControl {
  private readonly running = new Map<ChannelName, Running>();
  /** Serialises toggles of one channel, so a quick off-on-off ends in the last state asked for. */
  private toggling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deps: {
      settings: ChannelSettingsStore;
      factories: ChannelFactories;
      inbound: InboundPipeline;
      /** Stores a platform's delivery report on one of our messages. */
      recordReceipt(channel: ChannelName, receipt: DeliveryReceipt): Promise<unknown>;
      logger: Logger;
      onStarted?: (channel: ChannelName) => void;
    },
  ) {}

  async startEnabled(): Promise<void> {
    for (const setting of await this.deps.settings.list()) {
      if (!setting.enabled) continue;
      if (!this.deps.factories[setting.channel]) {
        await this.deps.settings.setStatus(
          setting.channel,
          'error',
          'enabled, but not configured in the environment',
        );
        continue;
      }
      await this.start(setting.channel);
    }
  }

  async list(): Promise<ChannelView[]> {
    const settings = await this.deps.settings.list();
    return CHANNELS.map((channel) => {
      const setting = settings.find((s) => s.channel === channel) ?? {
        channel,
        enabled: false,
        status: 'disabled' as const,
        detail: null,
      };
      return { ...setting, configured: Boolean(this.deps.factories[channel]) };
    });
  }

  setEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelView> {
    const next = this.toggling.then(() => this.applyEnabled(channel, enabled));
    this.toggling = next.catch(() => {});
    return next;
  }

  adapterOf(channel: ChannelName): ChannelAdapter | undefined {
    return this.running.get(channel)?.adapter;
  }

  runningChannels(): ChannelName[] {
    return [...this.running.keys()];
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((channel) => this.stop(channel)));
  }

  private async applyEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelView> {
    if (enabled && !this.deps.factories[channel]) {
      throw new DomainError(
        'CHANNEL_NOT_CONFIGURED',
        `${channel} cannot be enabled: its credentials are not set in the server's environment`,
      );
    }
    await this.deps.settings.setEnabled(channel, enabled);
    if (enabled) await this.start(channel);
    else await this.stop(channel);
    const view = (await this.list()).find((v) => v.channel === channel);
    if (!view) throw new Error(`unknown channel ${channel}`);
    return view;
  }

  private async start(channel: ChannelName): Promise<void> {
    if (this.running.has(channel)) return;
    const factory = this.deps.factories[channel];
    if (!factory) return;
    const adapter = factory();
    const abort = new AbortController();
    const log = this.deps.logger.child({ channel });
    await this.deps.settings.setStatus(channel, 'starting', null);
    const finished = adapter
      .start({
        signal: abort.signal,
        onMessage: (message) => this.deps.inbound.handle(message),
        onStatus: (status) => this.recordStatus(channel, status, abort.signal),
        onRejected: (reason, detail) => this.deps.inbound.reject(channel, reason, detail),
        onDeliveryReceipt: async (receipt) => {
          await this.deps.recordReceipt(channel, receipt);
        },
      })
      .catch(async (error: unknown) => {
        const detail = error instanceof Error ? error.message : String(error);
        log.error({ detail }, 'channel failed to start');
        if (!abort.signal.aborted) await this.deps.settings.setStatus(channel, 'error', detail);
      });
    this.running.set(channel, { adapter, abort, finished });
    log.info('channel started');
    this.deps.onStarted?.(channel);
  }

  private async stop(channel: ChannelName): Promise<void> {
    const running = this.running.get(channel);
    this.running.delete(channel);
    if (running) {
      running.abort.abort();
      await running.adapter.stop().catch((error: unknown) => {
        this.deps.logger.warn({ channel, err: error }, 'channel did not stop cleanly');
      });
      this.deps.logger.info({ channel }, 'channel stopped');
    }
    await this.deps.settings.setStatus(channel, 'disabled', null);
  }

  private recordStatus(channel: ChannelName, status: ChannelStatus, signal: AbortSignal): void {
    // A stopped adapter's last words must not overwrite `disabled`.
    if (signal.aborted) return;
    this.deps.settings.setStatus(channel, status.state, status.detail ?? null).catch((error: unknown) => {
      this.deps.logger.warn({ channel, err: error }, 'could not record channel status');
    });
  }
}
