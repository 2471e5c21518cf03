import {
  CHANNELS,
  type ChannelActivity,
  type ChannelName,
  type ChannelSetting,
  type ChannelSettingsStore,
  type ChannelState,
  readChannelConfig,
} from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

/** States that mean something went wrong: their detail is kept as the channel's last error. */
const TROUBLE: ReadonlySet<ChannelState> = new Set([
  'error',
  'disconnected',
  'needs_login',
  'challenge_required',
  'logged_out',
  'replaced',
  'banned',
]);

function toSetting(channel: ChannelName, row: Rows.ChannelSetting | undefined): ChannelSetting {
  // A channel nobody has touched yet is off: enabling one is an admin's decision.
  if (!row) {
    return {
      channel,
      enabled: false,
      status: 'disabled',
      detail: null,
      config: {},
      statusSince: null,
      lastError: null,
    };
  }
  return {
    channel,
    enabled: row.enabled,
    status: row.status as ChannelState,
    detail: row.detail,
    config: readChannelConfig(channel, row.config),
    statusSince: row.statusSince,
    lastError: row.lastError,
  };
}

type ActivityRow = { channel: string; inbound: bigint; sent: bigint; failed: bigint; queued: bigint };

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

    async setConfig(channel, config) {
      const json = config as Prisma.InputJsonObject;
      const row = await prisma.channelSetting.upsert({
        where: { channel },
        create: { channel, config: json },
        update: { config: json },
      });
      return toSetting(channel, row);
    },

    async setStatus(channel, status, detail) {
      const lastError = TROUBLE.has(status) ? `${status}: ${detail ?? 'no detail'}`.slice(0, 500) : null;
      // One statement: `statusSince` moves only when the state changes, whoever writes it.
      await prisma.$executeRaw`
        INSERT INTO "ChannelSetting" (channel, status, detail, "statusSince", "lastError", "updatedAt")
        VALUES (${channel}, ${status}, ${detail}, now(), ${lastError}, now())
        ON CONFLICT (channel) DO UPDATE SET
          status = EXCLUDED.status,
          detail = EXCLUDED.detail,
          "statusSince" = CASE WHEN "ChannelSetting".status = EXCLUDED.status
            THEN COALESCE("ChannelSetting"."statusSince", EXCLUDED."statusSince") ELSE EXCLUDED."statusSince" END,
          "lastError" = COALESCE(EXCLUDED."lastError", "ChannelSetting"."lastError"),
          "updatedAt" = now()`;
    },

    async activity(since) {
      const rows = await prisma.$queryRaw<ActivityRow[]>`
        SELECT c.channel,
          (SELECT count(*) FROM "Message" m
            WHERE m.channel = c.channel AND m.direction = 'inbound' AND m."createdAt" >= ${since}) AS inbound,
          (SELECT count(*) FROM "Message" m
            WHERE m.channel = c.channel AND m.direction = 'outbound' AND m."sentAt" >= ${since}) AS sent,
          (SELECT count(*) FROM "Message" m
            WHERE m."deliveryStatus" = 'failed' AND m.channel = c.channel AND m."failedAt" >= ${since}) AS failed,
          (SELECT count(*) FROM "Message" m
            WHERE m."deliveryStatus" = 'queued' AND m.channel = c.channel) AS queued
        FROM unnest(${[...CHANNELS]}::text[]) AS c(channel)`;
      const empty: ChannelActivity = { inbound: 0, sent: 0, failed: 0, queued: 0 };
      const result = Object.fromEntries(CHANNELS.map((channel) => [channel, { ...empty }])) as Record<
        ChannelName,
        ChannelActivity
      >;
      for (const row of rows) {
        result[row.channel as ChannelName] = {
          inbound: Number(row.inbound),
          sent: Number(row.sent),
          failed: Number(row.failed),
          queued: Number(row.queued),
        };
      }
      return result;
    },
  };
}
