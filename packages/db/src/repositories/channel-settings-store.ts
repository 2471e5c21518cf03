import {
  CHANNELS,
  type ChannelName,
  type ChannelSetting,
  type ChannelSettingsStore,
  type ChannelState,
} from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';

function toSetting(channel: ChannelName, row: Rows.ChannelSetting | undefined): ChannelSetting {
  // A channel nobody has touched yet is off: enabling one is an admin's decision.
  if (!row) return { channel, enabled: false, status: 'disabled', detail: null };
  return { channel, enabled: row.enabled, status: row.status as ChannelState, detail: row.detail };
}

/** Which channels admins turned on, and what each one last reported. Always all five, in core's order. */
export function createChannelSettingsStore(prisma: PrismaClient): ChannelSettingsStore {
  return {
    async list() {
      const rows = await prisma.channelSetting.findMany();
      const byChannel = new Map(rows.map((row) => [row.channel, row]));
      return CHANNELS.map((channel) => toSetting(channel, byChannel.get(channel)));
    },
    async setEnabled(channel, enabled) {
      const row = await prisma.channelSetting.upsert({
        where: { channel },
        create: { channel, enabled },
        update: { enabled },
      });
      return toSetting(channel, row);
    },
    async setStatus(channel, status, detail) {
      await prisma.channelSetting.upsert({
        where: { channel },
        create: { channel, status, detail },
        update: { status, detail },
      });
    },
  };
}
