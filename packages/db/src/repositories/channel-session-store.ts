import type { ChannelSessionStore } from '@loket/core';
import type { PrismaClient } from '../generated/prisma/client.ts';

/**
 * Channel sessions in the database, one row a key. `set` writes a whole batch (Baileys saves a
 * hundred pre-keys at once) in one transaction: one multi-row upsert and one delete, so a crash
 * leaves either the old keys or the new ones, never half.
 */
export function createChannelSessionStore(prisma: PrismaClient): ChannelSessionStore {
  return {
    async get(namespace, keys) {
      if (!keys.length) return new Map();
      const rows = await prisma.channelSessionEntry.findMany({
        where: { namespace, key: { in: keys } },
        select: { key: true, value: true },
      });
      return new Map(rows.map((row) => [row.key, row.value]));
    },

    async set(namespace, entries) {
      const upserts = Object.entries(entries).filter((entry): entry is [string, string] => entry[1] !== null);
      const deletes = Object.entries(entries)
        .filter(([, value]) => value === null)
        .map(([key]) => key);
      if (!upserts.length && !deletes.length) return;
      await prisma.$transaction(async (tx) => {
        if (upserts.length) {
          const keys = upserts.map(([key]) => key);
          const values = upserts.map(([, value]) => value);
          await tx.$executeRaw`
            INSERT INTO "ChannelSessionEntry" (namespace, key, value, "updatedAt")
            SELECT ${namespace}, k, v, now() FROM unnest(${keys}::text[], ${values}::text[]) AS t(k, v)
            ON CONFLICT (namespace, key) DO UPDATE SET value = EXCLUDED.value, "updatedAt" = EXCLUDED."updatedAt"`;
        }
        if (deletes.length) {
          await tx.channelSessionEntry.deleteMany({ where: { namespace, key: { in: deletes } } });
        }
      });
    },

    async clear(namespace) {
      await prisma.channelSessionEntry.deleteMany({ where: { namespace } });
    },
  };
}
