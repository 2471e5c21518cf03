import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_OFFICE_POLICY,
  type Logger,
  mergeOfficePolicy,
  type OfficePolicy,
  receiveMessage,
  silentLogger,
} from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase, testDatabaseKinds } from '@loket/db';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startGateway } from '../src/index.ts';
import { MediaStore } from '../src/media-store.ts';
import { startRetentionSweep } from '../src/retention-sweep.ts';

const NOW = new Date('2026-03-02T02:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const HOUR = 3_600_000;

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('retention sweep on %s', (kind) => {
  let db: TestDatabase;
  let repos: ReturnType<typeof createRepositories>;
  let mediaDir: string;
  let media: MediaStore;
  let policy: OfficePolicy;
  let policyReads = 0;

  beforeEach(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
    mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-retention-'));
    media = new MediaStore(mediaDir);
    policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, { retention: { attachmentDays: 30 } });
    policyReads = 0;
  });
  afterEach(async () => {
    await db.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  let sequence = 0;
  /** A citizen's photo received `at`, its bytes in the media store; returns the storage key. */
  const receivePhoto = async (at: Date, bytes: Uint8Array) => {
    sequence += 1;
    const storageKey = await media.put(bytes);
    await receiveMessage({
      store: repos.inbox,
      clock: { now: () => at },
      policy,
      message: {
        channel: 'telegram',
        externalMessageId: `m${sequence}`,
        externalUserId: `u${sequence}`,
        externalThreadId: `u${sequence}`,
        displayName: 'Warga',
        sentAt: at,
        text: 'foto KTP',
        attachments: [
          {
            kind: 'image',
            mime: 'image/jpeg',
            name: 'ktp.jpg',
            size: bytes.byteLength,
            storageKey,
            error: null,
          },
        ],
      },
    });
    return storageKey;
  };
  const sweepDeps = async () => ({
    attachments: repos.attachments,
    files: media,
    audit: repos.audit,
    // Each run reads the policy first: how a test sees that the run at start happened.
    policy: {
      current: async () => {
        policyReads += 1;
        return policy;
      },
    },
    clock: { now: () => NOW },
    logger: silentLogger,
    intervalMs: HOUR,
    jobs: await db.jobRunner(),
  });
  /** The run at start goes through the job queue: wait until it has read the policy and finished. */
  const afterFirstRun = async (sweep: { stop(): Promise<void> }) => {
    await vi.waitFor(() => expect(policyReads).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });
    await sweep.stop(); // waits for the run in progress
  };
  const setModified = (key: string, at: Date) => utimes(path.join(mediaDir, key), at, at);
  const listed = async (store: MediaStore, modifiedBefore: Date) => {
    const keys: string[] = [];
    for await (const key of store.listKeys({ modifiedBefore })) keys.push(key);
    return keys;
  };
  const purgeEntries = async () => (await repos.audit.list({ limit: 50, action: 'retention.purge' })).items;

  it('purges files older than the policy at start, keeps newer and shared ones, and audits one summary', async () => {
    const old = await receivePhoto(daysAgo(45), new Uint8Array([1, 1, 1]));
    const sharedBytes = new Uint8Array([2, 2, 2]);
    const shared = await receivePhoto(daysAgo(40), sharedBytes);
    await receivePhoto(daysAgo(3), sharedBytes);
    const fresh = await receivePhoto(daysAgo(2), new Uint8Array([3, 3, 3]));

    const sweep = startRetentionSweep(await sweepDeps());
    await afterFirstRun(sweep);

    expect(await media.get(old)).toBeNull();
    expect(await media.get(shared)).not.toBeNull();
    expect(await media.get(fresh)).not.toBeNull();
    const rows = await db.prisma.attachment.findMany({ orderBy: { createdAt: 'asc' } });
    expect(rows.map((row) => [row.storageKey, row.error])).toEqual([
      [null, 'deleted after 30 days (retention policy)'],
      [null, 'deleted after 30 days (retention policy)'],
      [shared, null],
      [fresh, null],
    ]);
    const entries = await purgeEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: null,
      target: 'attachments',
      meta: { count: 2, filesDeleted: 1, days: 30 },
    });

    // Idempotent: nothing more to purge, and no empty audit entry.
    expect(await sweep.runOnce()).toBe(0);
    expect(await purgeEntries()).toHaveLength(1);
  });

  it('keeps everything while the policy keeps files, and follows a policy change at the next run', async () => {
    policy = DEFAULT_OFFICE_POLICY;
    const old = await receivePhoto(daysAgo(400), new Uint8Array([4]));
    const sweep = startRetentionSweep(await sweepDeps());
    await afterFirstRun(sweep);
    expect(await media.get(old)).not.toBeNull();
    expect(await purgeEntries()).toEqual([]);

    policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, { retention: { attachmentDays: 365 } });
    expect(await sweep.runOnce()).toBe(1);
    expect(await media.get(old)).toBeNull();
  });

  it('purges each attachment once with two gateways sweeping at the same time', async () => {
    for (let i = 0; i < 8; i += 1) await receivePhoto(daysAgo(60), new Uint8Array([10, i]));
    const [a, b] = [startRetentionSweep(await sweepDeps()), startRetentionSweep(await sweepDeps())];
    await vi.waitFor(
      async () => expect(await db.prisma.attachment.count({ where: { storageKey: { not: null } } })).toBe(0),
      { timeout: 10_000, interval: 50 },
    );
    await Promise.all([a.stop(), b.stop()]);
    const counts = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(counts).toEqual([0, 0]);
    const entries = await purgeEntries();
    const total = entries.reduce((sum, entry) => sum + Number((entry.meta as { count: number }).count), 0);
    expect(total).toBe(8);
    expect(await db.prisma.attachment.count({ where: { storageKey: { not: null } } })).toBe(0);
  });

  it('deletes old files no attachment references, and keeps referenced and recent ones', async () => {
    const oldOrphan = await media.put(new Uint8Array([7, 1]));
    await setModified(oldOrphan, new Date(NOW.getTime() - 2 * HOUR));
    const referenced = await receivePhoto(daysAgo(2), new Uint8Array([7, 2]));
    await setModified(referenced, daysAgo(2));
    const freshOrphan = await media.put(new Uint8Array([7, 3]));
    await setModified(freshOrphan, new Date(NOW.getTime() - HOUR / 2));
    const infos: unknown[][] = [];
    const logger: Logger = { ...silentLogger, info: (...args: unknown[]) => void infos.push(args) };

    const sweep = startRetentionSweep({ ...(await sweepDeps()), logger });
    await afterFirstRun(sweep);

    expect(await media.get(oldOrphan)).toBeNull();
    expect(await media.get(referenced)).not.toBeNull();
    expect(await media.get(freshOrphan)).not.toBeNull();
    expect(infos).toEqual([[{ deleted: 1 }, 'retention: unreferenced files deleted']]);
    // Another gateway's run finds nothing left, and says nothing.
    expect(await sweep.runOnce()).toBe(0);
    expect(infos).toHaveLength(1);
  });

  it('deletes half-written files a crashed write left behind once they are old, and nothing else', async () => {
    const key = await media.put(new Uint8Array([5, 1]));
    await setModified(key, daysAgo(3)); // referenced below, so kept
    await receivePhoto(daysAgo(3), new Uint8Array([5, 1]));
    const [prefix, hash] = key.split('/') as [string, string];
    const abandoned = path.join(mediaDir, prefix, `${hash}.4242.partial`);
    const writing = path.join(mediaDir, prefix, `${'a'.repeat(64)}.4243.partial`);
    const lookalike = path.join(mediaDir, prefix, 'notes.partial');
    for (const file of [abandoned, writing, lookalike]) await writeFile(file, 'KTP photo, half written');
    await utimes(abandoned, daysAgo(1), daysAgo(1));
    await utimes(writing, new Date(NOW.getTime() - HOUR / 2), new Date(NOW.getTime() - HOUR / 2));
    await utimes(lookalike, daysAgo(1), daysAgo(1));
    const infos: unknown[][] = [];
    const logger: Logger = { ...silentLogger, info: (...args: unknown[]) => void infos.push(args) };

    const sweep = startRetentionSweep({ ...(await sweepDeps()), logger });
    await afterFirstRun(sweep);

    const exists = (file: string) =>
      readFile(file).then(
        () => true,
        () => false,
      );
    expect(await exists(abandoned)).toBe(false);
    expect(await exists(writing)).toBe(true); // a write may still be in progress
    expect(await exists(lookalike)).toBe(true); // not a name put() makes
    expect(await media.get(key)).not.toBeNull();
    expect(infos).toEqual([[{ deleted: 1 }, 'retention: unreferenced files deleted']]);
    expect(await media.deleteAbandonedWrites({ modifiedBefore: NOW })).toBe(1); // the one still being written
    expect(
      await new MediaStore(path.join(mediaDir, 'missing')).deleteAbandonedWrites({ modifiedBefore: NOW }),
    ).toBe(0);
  });

  it('lists the keys of files written before an instant, streaming the directories', async () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    expect(await listed(new MediaStore(path.join(mediaDir, 'missing')), NOW)).toEqual([]);
    const older = await media.put(new Uint8Array([8, 1]));
    await setModified(older, at(-2 * HOUR));
    const old = await media.put(new Uint8Array([8, 2]));
    await setModified(old, at(-HOUR - 1000));
    const recent = await media.put(new Uint8Array([8, 3]));
    await setModified(recent, at(-HOUR + 1000));
    // Not keys: a half-written file, a stray file and directory.
    await writeFile(path.join(mediaDir, `${older}.123.partial`), 'half');
    await writeFile(path.join(mediaDir, 'outside.txt'), 'stray');
    await mkdir(path.join(mediaDir, 'zz'));
    await writeFile(path.join(mediaDir, 'zz', 'f'.repeat(64)), 'stray');
    await utimes(path.join(mediaDir, 'zz', 'f'.repeat(64)), daysAgo(9), daysAgo(9));

    expect((await listed(media, at(-HOUR))).sort()).toEqual([older, old].sort());
    expect(await listed(media, at(-2 * HOUR))).toEqual([]);
    // Writing the same bytes again makes the file recent: a new row is about to reference it.
    await media.put(new Uint8Array([8, 2]));
    expect(await listed(media, at(-HOUR))).toEqual([older]);
  });

  it("deletes only the media store's own keys, and an unknown key quietly", async () => {
    const outside = path.join(mediaDir, 'outside.txt');
    await writeFile(outside, 'not a media file');
    const key = await media.put(new Uint8Array([6]));
    await expect(media.delete('../outside.txt')).resolves.toBeUndefined();
    await expect(media.delete('outside.txt')).resolves.toBeUndefined();
    expect(await readFile(outside, 'utf8')).toBe('not a media file');
    await expect(media.delete(`${'0'.repeat(2)}/${'0'.repeat(64)}`)).resolves.toBeUndefined();
    expect(await media.get(key)).not.toBeNull();
    await media.delete(key);
    expect(await media.get(key)).toBeNull();
  });

  it('runs inside the gateway when retention is wired in', async () => {
    const old = await receivePhoto(daysAgo(45), new Uint8Array([5, 5]));
    const gateway = await startGateway({
      jobs: await db.jobRunner(),
      store: repos.inbox,
      deliveryQueue: repos.deliveryQueue,
      channelSettings: repos.channelSettings,
      policy: { current: async () => policy },
      clock: { now: () => NOW },
      logger: silentLogger,
      factories: {},
      mediaDir,
      retention: { attachments: repos.attachments, audit: repos.audit, intervalMs: HOUR },
    });
    expect(gateway.retentionSweep).not.toBeNull();
    await vi.waitFor(async () => expect(await media.get(old)).toBeNull(), { timeout: 10_000, interval: 50 });
    await gateway.stop();
    expect(await media.get(old)).toBeNull();
    expect(await purgeEntries()).toHaveLength(1);
  });
});
