import { DomainError } from '../errors.ts';
import type { Clock } from '../ports.ts';
import type { ChannelControl, ChannelSetting, ChannelSettingsStore, ChannelView } from '../queries.ts';
import { CHANNEL_CONFIG_SCHEMAS, type ChannelConfig } from './channel-config.ts';
import type { ChannelLeases } from './channel-leases.ts';
import type { ChannelName } from './types.ts';

const HOUR_MS = 60 * 60 * 1000;

/** The admin's view of every channel: its setting, whether this server can run it, and the last hour. */
export async function channelViews(
  settings: ChannelSettingsStore,
  configured: (channel: ChannelName) => boolean,
  now: Date,
  leases?: ChannelLeases,
): Promise<ChannelView[]> {
  const [list, activity, holders] = await Promise.all([
    settings.list(),
    settings.activity(new Date(now.getTime() - HOUR_MS)),
    leases ? leases.holders() : Promise.resolve({} as Partial<Record<ChannelName, string>>),
  ]);
  return list.map((setting) =>
    viewOf(setting, configured(setting.channel), activity[setting.channel], holders[setting.channel] ?? null),
  );
}

function viewOf(
  setting: ChannelSetting,
  configured: boolean,
  lastHour: ChannelView['lastHour'],
  runningOn: string | null,
): ChannelView {
  return {
    ...setting,
    configured,
    connectedSince: setting.status === 'connected' ? setting.statusSince : null,
    lastHour,
    runningOn,
  };
}

export function requireConfigured(channel: ChannelName, configured: boolean): void {
  if (!configured) {
    throw new DomainError(
      'CHANNEL_NOT_CONFIGURED',
      `${channel} cannot be enabled: its credentials are not set in the server's environment`,
    );
  }
}

/** Validates an admin's settings for a channel; unknown keys and secrets are refused. */
export function parseChannelConfig(channel: ChannelName, config: unknown): ChannelConfig {
  return CHANNEL_CONFIG_SCHEMAS[channel].parse(config) as ChannelConfig;
}

/**
 * Channel control through the database alone, for an API process that runs no channels: it records
 * what the admin wants, and the gateway (another process) sees it at its next reconcile and starts or
 * stops the adapter. The status shown is the one the gateway last wrote.
 */
export class StoredChannelControl implements ChannelControl {
  constructor(
    private readonly deps: {
      settings: ChannelSettingsStore;
      configured: (channel: ChannelName) => boolean;
      clock: Clock;
      leases?: ChannelLeases;
    },
  ) {}

  list(): Promise<ChannelView[]> {
    return channelViews(this.deps.settings, this.deps.configured, this.deps.clock.now(), this.deps.leases);
  }

  async setEnabled(channel: ChannelName, enabled: boolean): Promise<ChannelView> {
    if (enabled) requireConfigured(channel, this.deps.configured(channel));
    await this.deps.settings.setEnabled(channel, enabled);
    return this.viewOf(channel);
  }

  async configure(channel: ChannelName, config: ChannelConfig): Promise<ChannelView> {
    await this.deps.settings.setConfig(channel, parseChannelConfig(channel, config));
    return this.viewOf(channel);
  }

  async isEnabled(channel: ChannelName): Promise<boolean> {
    return (await this.deps.settings.list()).some((s) => s.channel === channel && s.enabled);
  }

  private async viewOf(channel: ChannelName): Promise<ChannelView> {
    const view = (await this.list()).find((v) => v.channel === channel);
    if (!view) throw new Error(`unknown channel ${channel}`);
    return view;
  }
}
