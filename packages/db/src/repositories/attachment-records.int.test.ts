import { DEFAULT_OFFICE_POLICY, type NewAttachment, receiveMessage, replyToTicket } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, NOW } from './test-fixtures.ts';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const photo = (storageKey: string | null, error: string | null = null): NewAttachment => ({
  kind: 'image',
  mime: 'image/jpeg',
  name: 'ktp.jpg',
  size: 100,
  storageKey,
  error,
});

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('attachment records on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  let sequence = 0;
  /** A citizen's message with these files, received `at`. */
  const receiveFiles = async (at: Date, attachments: NewAttachment[], user = 'u1') => {
    sequence += 1;
    const result = await receiveMessage({
      store: repos.inbox,
      clock: { now: () => at },
      policy: DEFAULT_OFFICE_POLICY,
      message: {
        ...citizenMessage({
          externalMessageId: `m${sequence}`,
          externalUserId: user,
          externalThreadId: user,
        }),
        sentAt: at,
        attachments,
      },
    });
    if (result.outcome !== 'stored') throw new Error('expected a stored message');
    return result;
  };

  it('gets an attachment with its message and ticket, and nothing for an unknown id', async () => {
    const { message, ticket } = await receiveFiles(NOW, [photo('aa/key-1')]);
    const id = message.attachments[0]?.id ?? '';
    expect(await repos.attachments.get(id)).toEqual({
      id,
      kind: 'image',
      mime: 'image/jpeg',
      name: 'ktp.jpg',
      size: 100,
      storageKey: 'aa/key-1',
      error: null,
      messageId: message.id,
      ticketId: ticket.id,
      createdAt: NOW,
    });
    expect(await repos.attachments.get('missing')).toBeNull();
    expect(await repos.attachments.get('a\u0000b')).toBeNull();
  });

  it('purges files older than the cutoff once, in batches, leaving newer and never-kept ones', async () => {
    await receiveFiles(daysAgo(40), [photo('k-old-1'), photo('k-old-2'), photo(null, 'over the limit')]);
    await receiveFiles(daysAgo(31), [photo('k-old-3')], 'u2');
    await receiveFiles(daysAgo(5), [photo('k-new')], 'u3');
    const reason = 'deleted after 30 days (retention policy)';

    const first = await repos.attachments.purgeCreatedBefore(daysAgo(30), 2, reason);
    expect(first.count).toBe(2);
    const second = await repos.attachments.purgeCreatedBefore(daysAgo(30), 2, reason);
    expect(second.count).toBe(1);
    expect([...first.storageKeys, ...second.storageKeys].sort()).toEqual(['k-old-1', 'k-old-2', 'k-old-3']);
    expect(await repos.attachments.purgeCreatedBefore(daysAgo(30), 2, reason)).toEqual({
      count: 0,
      storageKeys: [],
    });

    const rows = await db.prisma.attachment.findMany({ orderBy: { createdAt: 'asc' } });
    expect(rows.map((row) => [row.storageKey, row.error])).toEqual(
      expect.arrayContaining([
        [null, reason],
        [null, 'over the limit'],
        ['k-new', null],
      ]),
    );
    expect(rows.filter((row) => row.error === reason)).toHaveLength(3);
  });

  it('purges each file once when two sweeps run at the same time', async () => {
    for (let i = 0; i < 6; i += 1) await receiveFiles(daysAgo(60), [photo(`k${i}`)], `user-${i}`);
    const results = await Promise.all([
      repos.attachments.purgeCreatedBefore(daysAgo(30), 100, 'old'),
      repos.attachments.purgeCreatedBefore(daysAgo(30), 100, 'old'),
    ]);
    expect(results[0].count + results[1].count).toBe(6);
    expect([...results[0].storageKeys, ...results[1].storageKeys].sort()).toEqual([
      'k0',
      'k1',
      'k2',
      'k3',
      'k4',
      'k5',
    ]);
  });

  it('keeps the files of a reply still waiting for delivery', async () => {
    const { ticket } = await receiveFiles(daysAgo(60), []);
    const officer = await repos.users.create({
      name: 'Dewi',
      email: 'dewi@x.id',
      role: 'officer',
      tokenHash: 'h',
    });
    await replyToTicket({
      store: repos.inbox,
      clock: { now: () => daysAgo(50) },
      ticketId: ticket.id,
      authorId: officer.id,
      text: 'formulir terlampir',
      attachments: [{ ...photo('k-form'), kind: 'document', mime: 'application/pdf' }],
    });
    expect((await repos.attachments.purgeCreatedBefore(daysAgo(30), 10, 'old')).count).toBe(0);
    await db.prisma.message.updateMany({
      where: { deliveryStatus: 'queued' },
      data: { deliveryStatus: 'sent' },
    });
    expect(await repos.attachments.purgeCreatedBefore(daysAgo(30), 10, 'old')).toEqual({
      count: 1,
      storageKeys: ['k-form'],
    });
  });

  it('tells which keys no attachment references any more', async () => {
    await receiveFiles(NOW, [photo('shared'), photo('only-once')]);
    await receiveFiles(NOW, [photo('shared')], 'u2');
    expect(await repos.attachments.unreferencedKeys(['shared', 'only-once', 'gone', 'gone'])).toEqual([
      'gone',
    ]);
    await db.prisma.attachment.updateMany({ where: { storageKey: 'only-once' }, data: { storageKey: null } });
    expect((await repos.attachments.unreferencedKeys(['shared', 'only-once'])).sort()).toEqual(['only-once']);
    expect(await repos.attachments.unreferencedKeys([])).toEqual([]);
  });
});
