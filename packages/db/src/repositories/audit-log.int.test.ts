import type { AuditEntry, AuditFilter } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Prisma } from '../generated/prisma/client.ts';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';

const T0 = new Date('2026-03-02T02:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('audit log filters on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  /** Entries at known times (record() stamps "now"; the sort key must be controlled here). */
  const seed = async (entries: [number, string | null, string, string, Prisma.InputJsonObject?][]) => {
    await db.prisma.auditLog.createMany({
      data: entries.map(([minute, actorId, action, target, meta], index) => ({
        id: `e${String(index).padStart(3, '0')}`,
        at: minutes(minute),
        actorId,
        action,
        target,
        ...(meta ? { meta } : {}),
      })),
    });
  };
  const ids = (items: AuditEntry[]) => items.map((entry) => entry.id);
  const all = async (filter: Omit<AuditFilter, 'limit'>, limit = 2) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const result = await repos.audit.list({ ...filter, limit, cursor });
      seen.push(...ids(result.items));
      if (!result.nextCursor) return seen;
      cursor = result.nextCursor;
    }
    throw new Error('the cursor never ended');
  };

  beforeEach(async () => {
    await seed([
      [0, 'u1', 'ticket.messages.read', 'ticket:t1'],
      [1, 'u2', 'ticket.reply', 'ticket:t1'],
      [2, 'u1', 'ticket.note', 'ticket:t2'],
      [3, null, 'sla.breached', 'ticket:t2'],
      [4, 'u1', 'contact.export', 'contact:c1', { tickets: 2 }],
      [5, 'u2', 'attachment.read', 'attachment:a1'],
      [5, 'u1', 'ticketing.other', 'ticket:t3'],
      [6, 'u1', 'channel_x.pairing', 'channel:whatsapp'],
      [7, 'u1', 'channelYx.other', 'channel:whatsapp'],
    ]);
  });

  it('lists newest first with meta, and pages through all of it with a stable cursor', async () => {
    const first = await repos.audit.list({ limit: 3 });
    expect(ids(first.items)).toEqual(['e008', 'e007', 'e006']);
    expect(await all({})).toEqual(['e008', 'e007', 'e006', 'e005', 'e004', 'e003', 'e002', 'e001', 'e000']);
    const exported = (await repos.audit.list({ limit: 10, action: 'contact.export' })).items[0];
    expect(exported).toEqual({
      id: 'e004',
      actorId: 'u1',
      action: 'contact.export',
      target: 'contact:c1',
      at: minutes(4),
      meta: { tickets: 2 },
    });
    expect(first.items[0]?.meta).toBeNull();
  });

  it('keeps its place when entries arrive while paging', async () => {
    const first = await repos.audit.list({ limit: 4 });
    await db.prisma.auditLog.create({
      data: { id: 'e100', at: minutes(9), actorId: 'u9', action: 'ticket.reply', target: 'ticket:t9' },
    });
    const second = await repos.audit.list({ limit: 10, cursor: first.nextCursor ?? undefined });
    expect(ids(second.items)).toEqual(['e004', 'e003', 'e002', 'e001', 'e000']);
  });

  it('filters by actor, exact action, action prefix, target and time, combined', async () => {
    expect(await all({ actorId: 'u2' })).toEqual(['e005', 'e001']);
    expect(await all({ action: 'ticket.reply' })).toEqual(['e001']);
    // A prefix ends in a dot; `ticketing.other` is not a ticket action.
    expect(await all({ action: 'ticket.' })).toEqual(['e002', 'e001', 'e000']);
    expect(await all({ action: 'ticket' })).toEqual([]);
    // `_` and other LIKE wildcards in a prefix match only themselves.
    expect(await all({ action: 'channel_x.' })).toEqual(['e007']);
    expect(await all({ action: 'channel%.' })).toEqual([]);
    expect(await all({ target: 'ticket:t2' })).toEqual(['e003', 'e002']);
    expect(await all({ from: minutes(2), to: minutes(5) })).toEqual(['e004', 'e003', 'e002']);
    expect(await all({ actorId: 'u1', action: 'ticket.', from: minutes(1) })).toEqual(['e002']);
  });

  it('finds nothing for values Postgres cannot hold, instead of failing', async () => {
    expect((await repos.audit.list({ limit: 5, target: 'ticket:\u0000' })).items).toEqual([]);
    expect((await repos.audit.list({ limit: 5, cursor: 'not-a-cursor' })).items).toHaveLength(5);
  });
});
