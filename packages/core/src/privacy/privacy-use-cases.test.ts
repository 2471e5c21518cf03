import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.ts';
import type { FileStore } from '../ports.ts';
import type { AuditLog } from '../queries.ts';
import { anonymiseContact } from './anonymise-contact.ts';
import { deleteUnreferencedFiles, UNREFERENCED_FILE_GRACE_MS } from './delete-unreferenced-files.ts';
import type { AnonymisationResult, AttachmentRecords, ContactRecords } from './ports.ts';
import { purgeExpiredAttachments } from './purge-expired-attachments.ts';

const NOW = new Date('2026-03-02T02:00:00Z');
const clock = { now: () => NOW };

/** Rows as key + age in days; a purge claims the oldest due ones, like the repository. */
function fakeAttachments(rows: { key: string; ageDays: number }[]) {
  const kept = rows.map((row) => ({
    ...row,
    storageKey: row.key as string | null,
    error: null as string | null,
  }));
  const cutoffs: Date[] = [];
  const records: AttachmentRecords = {
    get: async () => null,
    async purgeCreatedBefore(cutoff, limit, error) {
      cutoffs.push(cutoff);
      const due = kept
        .filter((row) => row.storageKey && NOW.getTime() - row.ageDays * 86_400_000 < cutoff.getTime())
        .slice(0, limit);
      const keys = due.map((row) => row.storageKey as string);
      for (const row of due) Object.assign(row, { storageKey: null, error });
      return { count: due.length, storageKeys: [...new Set(keys)] };
    },
    unreferencedKeys: async (keys) => keys.filter((key) => !kept.some((row) => row.storageKey === key)),
  };
  return { records, kept, cutoffs };
}

function fakeFiles(failOn?: string) {
  const deleted: string[] = [];
  const files: FileStore = {
    put: async () => 'x',
    get: async () => null,
    async delete(key) {
      if (key === failOn) throw new Error('disk full');
      deleted.push(key);
    },
    async *listKeys() {},
    deleteAbandonedWrites: async () => 0,
  };
  return { files, deleted };
}

function fakeAudit() {
  const entries: Parameters<AuditLog['record']>[0][] = [];
  const audit: AuditLog = {
    record: async (entry) => {
      entries.push(entry);
    },
    list: async () => ({ items: [], nextCursor: null }),
  };
  return { audit, entries };
}

describe('purgeExpiredAttachments', () => {
  it('does nothing while the policy keeps files (null days)', async () => {
    const { records, cutoffs } = fakeAttachments([{ key: 'a', ageDays: 999 }]);
    const { audit, entries } = fakeAudit();
    const purged = await purgeExpiredAttachments({
      attachments: records,
      files: fakeFiles().files,
      audit,
      clock,
      logger: silentLogger,
      attachmentDays: null,
    });
    expect(purged).toBe(0);
    expect(cutoffs).toEqual([]);
    expect(entries).toEqual([]);
  });

  it('purges in batches, deletes only files nobody references, and audits one summary', async () => {
    const { records, kept, cutoffs } = fakeAttachments([
      { key: 'a', ageDays: 40 },
      { key: 'b', ageDays: 35 },
      { key: 'shared', ageDays: 31 },
      { key: 'shared', ageDays: 2 },
      { key: 'c', ageDays: 10 },
    ]);
    const { files, deleted } = fakeFiles();
    const { audit, entries } = fakeAudit();
    const options = { attachments: records, files, audit, clock, logger: silentLogger, attachmentDays: 30 };
    expect(await purgeExpiredAttachments({ ...options, batchSize: 2 })).toBe(3);
    expect(cutoffs[0]).toEqual(new Date('2026-01-31T02:00:00Z'));
    expect(cutoffs).toHaveLength(2);
    expect(deleted.sort()).toEqual(['a', 'b']);
    expect(kept.filter((row) => row.storageKey === null).map((row) => row.error)).toEqual([
      'deleted after 30 days (retention policy)',
      'deleted after 30 days (retention policy)',
      'deleted after 30 days (retention policy)',
    ]);
    expect(entries).toEqual([
      {
        actorId: null,
        action: 'retention.purge',
        target: 'attachments',
        meta: { count: 3, filesDeleted: 2, days: 30, createdBefore: '2026-01-31T02:00:00.000Z' },
      },
    ]);

    // A second run finds nothing and writes no audit entry.
    expect(await purgeExpiredAttachments(options)).toBe(0);
    expect(entries).toHaveLength(1);
  });

  it('keeps going when a file cannot be deleted', async () => {
    const { records } = fakeAttachments([
      { key: 'a', ageDays: 40 },
      { key: 'b', ageDays: 40 },
    ]);
    const { files, deleted } = fakeFiles('a');
    const { audit, entries } = fakeAudit();
    await purgeExpiredAttachments({
      attachments: records,
      files,
      audit,
      clock,
      logger: silentLogger,
      attachmentDays: 30,
    });
    expect(deleted).toEqual(['b']);
    expect(entries[0]?.meta).toMatchObject({ count: 2, filesDeleted: 1 });
  });
});

describe('anonymiseContact', () => {
  const result: AnonymisationResult = {
    contactId: 'c1',
    anonymizedAt: NOW,
    alreadyAnonymized: false,
    ticketsKept: 2,
    ticketsClosed: 1,
    messagesErased: 5,
    attachmentsErased: 2,
    complaintsCleared: 1,
    storageKeys: ['own', 'shared'],
  };
  const contacts = (answer: AnonymisationResult | null): ContactRecords => ({
    search: async () => ({ items: [], nextCursor: null }),
    get: async () => null,
    export: async () => null,
    anonymise: async () => answer,
  });
  const attachments: AttachmentRecords = {
    get: async () => null,
    purgeCreatedBefore: async () => ({ count: 0, storageKeys: [] }),
    unreferencedKeys: async (keys) => keys.filter((key) => key !== 'shared'),
  };

  it('deletes the files no one else uses after the commit and audits counts only', async () => {
    const { files, deleted } = fakeFiles();
    const { audit, entries } = fakeAudit();
    const outcome = await anonymiseContact({
      contacts: contacts(result),
      attachments,
      files,
      audit,
      clock,
      logger: silentLogger,
      contactId: 'c1',
      actorId: 'admin-1',
    });
    expect(deleted).toEqual(['own']);
    expect(outcome).toEqual({ ...result, storageKeys: undefined, filesDeleted: 1 });
    expect(entries).toEqual([
      {
        actorId: 'admin-1',
        action: 'contact.anonymise',
        target: 'contact:c1',
        meta: {
          alreadyAnonymized: false,
          ticketsKept: 2,
          ticketsClosed: 1,
          messagesErased: 5,
          attachmentsErased: 2,
          complaintsCleared: 1,
          filesDeleted: 1,
        },
      },
    ]);
  });

  it('answers null and audits nothing for an unknown contact', async () => {
    const { audit, entries } = fakeAudit();
    const outcome = await anonymiseContact({
      contacts: contacts(null),
      attachments,
      files: fakeFiles().files,
      audit,
      clock,
      logger: silentLogger,
      contactId: 'nope',
      actorId: 'admin-1',
    });
    expect(outcome).toBeNull();
    expect(entries).toEqual([]);
  });
});

describe('deleteUnreferencedFiles', () => {
  it('asks about the keys older than the grace period in chunks and deletes the unreferenced ones', async () => {
    const { records } = fakeAttachments([{ key: 'k2', ageDays: 1 }]);
    const asked: string[][] = [];
    const unreferencedKeys = records.unreferencedKeys;
    records.unreferencedKeys = async (keys) => {
      asked.push(keys);
      return unreferencedKeys(keys);
    };
    const { files, deleted } = fakeFiles('k4');
    const listedBefore: Date[] = [];
    files.listKeys = async function* ({ modifiedBefore }) {
      listedBefore.push(modifiedBefore);
      yield* ['k1', 'k2', 'k3', 'k4', 'k5'];
    };

    const count = await deleteUnreferencedFiles({
      attachments: records,
      files,
      clock,
      logger: silentLogger,
      chunkSize: 2,
    });

    expect(listedBefore).toEqual([new Date(NOW.getTime() - UNREFERENCED_FILE_GRACE_MS)]);
    expect(asked).toEqual([['k1', 'k2'], ['k3', 'k4'], ['k5']]);
    expect(deleted).toEqual(['k1', 'k3', 'k5']);
    expect(count).toBe(3);
  });
});
