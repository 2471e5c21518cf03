import { complaintContextFor, replyToTicket, sweepSla } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, fixedClock, NOW, receive } from './test-fixtures.ts';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('event log on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  const allEvents = async () => (await repos.events.after('0', 1000)).events;

  it('records a new ticket and its messages in the same transaction, in order, without personal data', async () => {
    const received = await receive(
      repos.inbox,
      citizenMessage({ text: 'NIK saya 3276010101010001, mau buat KTP' }),
    );
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const events = await allEvents();
    expect(events.map((e) => e.type)).toEqual(['ticket.created', 'message.created', 'message.created']);
    expect(events[0]?.payload).toMatchObject({
      ticket: { id: received.ticket.id, number: received.ticket.number, channel: 'telegram', status: 'open' },
    });
    expect(events[1]?.payload).toMatchObject({ message: { id: received.message.id, direction: 'inbound' } });
    expect(events[2]?.payload).toMatchObject({ message: { direction: 'outbound', automated: true } });
    const ids = events.map((e) => BigInt(e.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    const serialized = JSON.stringify(events);
    expect(serialized).not.toContain('3276010101010001');
    expect(serialized).not.toContain('Siti');
    expect(await repos.events.latestId()).toBe(events.at(-1)?.id);
  });

  it('writes nothing for a duplicate, and nothing when the transaction rolls back', async () => {
    const received = await receive(repos.inbox, citizenMessage());
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const before = await repos.events.latestId();
    await receive(repos.inbox, citizenMessage());
    await expect(
      repos.inbox.transaction(async (tx) => {
        await tx.touchTicket(received.ticket.id, { lastMessageAt: NOW, status: 'pending' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await repos.events.latestId()).toBe(before);
  });

  it('records status changes, SLA transitions, complaints and delivery states', async () => {
    const received = await receive(repos.inbox, citizenMessage());
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const ticketId = received.ticket.id;
    const cursor = await repos.events.latestId();
    await repos.tickets.updateTicket(ticketId, { priority: 'high' });
    const [ack] = await repos.deliveryQueue.claimDue({ limit: 10, channels: ['telegram'] });
    await repos.deliveryQueue.markSent(ack!, { externalId: '5001:2', sentAt: NOW });
    await sweepSla({
      store: repos.inbox,
      clock: fixedClock(new Date(NOW.getTime() + 80 * 3_600_000)),
      context: complaintContextFor(await repos.settings.getPolicy(), NOW),
    });
    const types = (await repos.events.after(cursor, 100)).events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['ticket.updated', 'message.status']);
    expect(types).toContain('sla.breached');
    expect(types).toContain('complaint.created');
    const officer = await repos.users.create({ name: 'A', email: 'a@x.id', role: 'officer', tokenHash: 'h' });
    await replyToTicket({
      store: repos.inbox,
      clock: fixedClock(),
      ticketId,
      authorId: officer.id,
      text: 'Halo',
    });
    expect((await allEvents()).at(-1)).toMatchObject({
      type: 'message.created',
      ticketId,
      payload: { message: { direction: 'outbound', automated: false } },
    });
  });

  it('reads after a cursor, a page at a time, and tolerates a cursor that is not a number', async () => {
    for (let i = 0; i < 3; i += 1) {
      await receive(
        repos.inbox,
        citizenMessage({ externalMessageId: `${i}:1`, externalUserId: `${i}`, externalThreadId: `${i}` }),
      );
    }
    const all = await allEvents();
    const page = await repos.events.after(all[2]?.id ?? '0', 2);
    expect(page.events.map((e) => e.id)).toEqual([all[3]?.id, all[4]?.id]);
    expect(page.readAt).toBeInstanceOf(Date);
    expect((await repos.events.after('not-a-number', 1)).events[0]?.id).toBe(all[0]?.id);
  });
});
