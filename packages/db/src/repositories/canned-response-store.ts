import { randomUUID } from 'node:crypto';
import type { CannedResponse, CannedResponseSaveResult, CannedResponseStore } from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { containsText } from './like-pattern.ts';
import { isQueryableText } from './records.ts';

// An office keeps tens of these, not thousands; the list has no pages, only this ceiling.
const MAX_LISTED = 500;

function toCannedResponse(row: Rows.CannedResponse): CannedResponse {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    body: row.body,
    createdById: row.createdById,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Officers' reusable reply texts; the shortcut is unique. */
export function createCannedResponseStore(prisma: PrismaClient): CannedResponseStore {
  return {
    async list({ q }) {
      const text = q?.replaceAll('\u0000', '').trim();
      const rows = await prisma.cannedResponse.findMany({
        where: text
          ? {
              OR: [
                { shortcut: containsText(text) },
                { title: containsText(text) },
                { body: containsText(text) },
              ],
            }
          : {},
        orderBy: [{ shortcut: 'asc' }],
        take: MAX_LISTED,
      });
      return rows.map(toCannedResponse);
    },

    async get(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.cannedResponse.findUnique({ where: { id } });
      return row ? toCannedResponse(row) : null;
    },

    create(input) {
      return shortcutTakenOnConflict(async () => {
        const row = await prisma.cannedResponse.create({ data: { id: randomUUID(), ...input } });
        return { outcome: 'saved', cannedResponse: toCannedResponse(row) };
      });
    },

    update(id, change) {
      if (!isQueryableText(id)) return Promise.resolve({ outcome: 'not_found' });
      return shortcutTakenOnConflict(async () => {
        // updateMany reports "not found" as a count instead of throwing.
        const { count } = await prisma.cannedResponse.updateMany({ where: { id }, data: change });
        const row = count ? await prisma.cannedResponse.findUnique({ where: { id } }) : null;
        return row ? { outcome: 'saved', cannedResponse: toCannedResponse(row) } : { outcome: 'not_found' };
      });
    },

    async delete(id) {
      if (!isQueryableText(id)) return false;
      const { count } = await prisma.cannedResponse.deleteMany({ where: { id } });
      return count > 0;
    },
  };
}

/** A shortcut another canned response has is the caller's problem to report, not an error. */
async function shortcutTakenOnConflict(
  save: () => Promise<CannedResponseSaveResult>,
): Promise<CannedResponseSaveResult> {
  try {
    return await save();
  } catch (error) {
    // Prisma's unique-constraint code; the only unique key besides the random id is the shortcut.
    if ((error as { code?: unknown } | null)?.code === 'P2002') return { outcome: 'shortcut_taken' };
    throw error;
  }
}
