import type { ChannelLeases, ChannelName } from '@loket/core';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Leases as rows: one statement takes a free or expired lease, or renews our own, atomically. */
export function createChannelLeases(prisma: PrismaClient): ChannelLeases {
  return {
    async acquire(channel, owner, ttlMs) {
      const seconds = Math.max(1, ttlMs) / 1000;
      const rows = await prisma.$queryRaw<{ owner: string }[]>`
        INSERT INTO "ChannelLease" (channel, owner, "acquiredAt", "expiresAt")
        VALUES (${channel}, ${owner}, now(), now() + make_interval(secs => ${seconds}))
        ON CONFLICT (channel) DO UPDATE SET
          owner = EXCLUDED.owner,
          "acquiredAt" = CASE WHEN "ChannelLease".owner = EXCLUDED.owner
            THEN "ChannelLease"."acquiredAt" ELSE EXCLUDED."acquiredAt" END,
          "expiresAt" = EXCLUDED."expiresAt"
        WHERE "ChannelLease".owner = EXCLUDED.owner OR "ChannelLease"."expiresAt" <= now()
        RETURNING owner`;
      return rows[0]?.owner === owner;
    },

    async release(channel, owner) {
      await prisma.channelLease.deleteMany({ where: { channel, owner } });
    },

    async holders() {
      const rows = await prisma.$queryRaw<{ channel: string; owner: string }[]>`
        SELECT channel, owner FROM "ChannelLease" WHERE "expiresAt" > now()`;
      return Object.fromEntries(rows.map((row) => [row.channel as ChannelName, row.owner]));
    },
  };
}
