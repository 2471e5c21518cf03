import type { AttachmentKind, AttachmentRecords } from '@loket/core';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { isQueryableText } from './records.ts';

/** Attachments for serving their files and for the retention purge. */
export function createAttachmentRecords(prisma: PrismaClient): AttachmentRecords {
  return {
    async get(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.attachment.findUnique({
        where: { id },
        include: { message: { select: { ticketId: true } } },
      });
      if (!row) return null;
      return {
        id: row.id,
        kind: row.kind as AttachmentKind,
        mime: row.mime,
        name: row.name,
        size: row.size,
        storageKey: row.storageKey,
        error: row.error,
        messageId: row.messageId,
        ticketId: row.message.ticketId,
        createdAt: row.createdAt,
      };
    },

    async purgeCreatedBefore(cutoff, limit, error) {
      if (limit <= 0) return { count: 0, storageKeys: [] };
      // One statement: claim due rows (skipping rows another gateway holds right now), forget their
      // keys, and return the keys they held. Under READ COMMITTED the row lock re-checks
      // `storageKey IS NOT NULL`, so a row another sweep purged meanwhile drops out.
      // A reply still waiting for delivery keeps its files: the worker reads them when it sends.
      const rows = await prisma.$queryRaw<{ storageKey: string }[]>`
        WITH due AS (
          SELECT a.id, a."storageKey" FROM "Attachment" a
          WHERE a."storageKey" IS NOT NULL AND a."createdAt" < ${cutoff}
            AND NOT EXISTS (
              SELECT 1 FROM "Message" m WHERE m.id = a."messageId" AND m."deliveryStatus" = 'queued')
          ORDER BY a."createdAt", a.id
          LIMIT ${limit}
          FOR UPDATE OF a SKIP LOCKED)
        UPDATE "Attachment" SET "storageKey" = NULL, error = ${error}
        FROM due WHERE "Attachment".id = due.id
        RETURNING due."storageKey" AS "storageKey"`;
      return { count: rows.length, storageKeys: [...new Set(rows.map((row) => row.storageKey))] };
    },

    async unreferencedKeys(keys) {
      const unique = [...new Set(keys.filter(isQueryableText))];
      if (!unique.length) return [];
      const rows = await prisma.$queryRaw<{ storageKey: string }[]>`
        SELECT DISTINCT "storageKey" FROM "Attachment" WHERE "storageKey" IN (${Prisma.join(unique)})`;
      const referenced = new Set(rows.map((row) => row.storageKey));
      return unique.filter((key) => !referenced.has(key));
    },
  };
}
