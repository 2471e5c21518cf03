// The batched inbound path against the per-message one: the same messages give the same rows.
import {
  DEFAULT_OFFICE_POLICY,
  type InboundBatchStore,
  type ReceivedMessage,
  type ReceiveResult,
  receiveMessageBatch,
  storeInboundMessages,
} from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createInboxStore } from './inbox-store.ts';
import { citizenMessage, deliveryJobs, fixedClock, NOW, receive } from './test-fixtures.ts';

/** Monday 2 March 2026, 20:00 in Jakarta: the office is closed. */
const EVENING = new Date('2026-03-02T13:00:00Z');

const msg = (user: string, n: number, text: string, extra: Partial<ReceivedMessage> = {}) =>
  citizenMessage({
    externalMessageId: `${user}:${n}`,
    externalUserId: user,
    externalThreadId: user,
    displayName: `Warga ${user}`,
    text,
    ...extra,
  });

/** Already in the database before the batch: a citizen with an open ticket, one with a pending one. */
const SETUP = [msg('100', 1, 'mau buat akta kelahiran'), msg('200', 1, 'halo, mohon info syarat KK')];

/** New and known citizens, duplicates against the db and within the lot, e-KTP, a menu choice. */
const MIXED = [
  msg('100', 2, 'terima kasih, ini dokumennya'),
  msg('100', 1, 'mau buat akta kelahiran'),
  msg('300', 1, 'Selamat pagi, saya mau buat akta kelahiran', {
    referralCode: 'beji--beji',
    phone: '+62811',
  }),
  msg('300', 2, 'apa saja syaratnya?'),
  msg('300', 2, 'apa saja syaratnya?'),
  msg('400', 1, 'saya mau perekaman KTP-el'),
  msg('200', 2, 'sudah saya kirim'),
  msg('500', 1, 'halo'),
  msg('500', 2, '1'),
];

/** At night: the out-of-hours notice, once per ticket and closed period. */
const NIGHT = [msg('100', 3, 'masih buka?'), msg('600', 1, 'mau urus KK'), msg('600', 2, 'tolong ya')];

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('inbound batches on %s', (kind) => {
  let db: TestDatabase;
  let store: ReturnType<typeof createInboxStore>;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    store = createInboxStore(db.prisma);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  async function setup(): Promise<void> {
    // An hour before the lots, so their messages list after these whatever the path.
    for (const message of SETUP)
      await receive(store, message, fixedClock(new Date(NOW.getTime() - 3_600_000)));
    await db.prisma.ticket.updateMany({ where: { threadId: '200' }, data: { status: 'pending' } });
  }

  /** The per-message path: one transaction each, a second apart, so every time is distinct. */
  async function oneByOne(messages: ReceivedMessage[], at: Date): Promise<ReceiveResult[]> {
    const clock = fixedClock(at);
    const results = [];
    for (const message of messages) {
      results.push(await receive(store, message, clock));
      clock.advance(1000);
    }
    return results;
  }

  const batch = (messages: ReceivedMessage[], at: Date, on: InboundBatchStore = store) =>
    receiveMessageBatch({ store: on, clock: fixedClock(at), policy: DEFAULT_OFFICE_POLICY, messages });

  /** What an officer and the reports see, without ids and without the times that depend on the clock. */
  async function snapshot() {
    const tickets = await db.prisma.ticket.findMany({
      orderBy: { number: 'asc' },
      include: {
        contact: { include: { identities: true } },
        messages: {
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          include: { attachments: true },
        },
      },
    });
    const events = await db.prisma.event.findMany({ orderBy: { id: 'asc' } });
    const queuedIds = new Set((await deliveryJobs(db.prisma)).map((job) => job.messageId));
    const numberOf = new Map(tickets.map((t) => [t.id, t.number]));
    return {
      counter: await db.prisma.ticketCounter.findMany(),
      contacts: await db.prisma.contact.count(),
      tickets: tickets.map((t) => ({
        number: t.number,
        status: t.status,
        threadId: t.threadId,
        service: t.service,
        serviceDetected: t.serviceDetected,
        sourceCode: t.sourceCode,
        // By day the clock starts when the ticket opens; at night, at the next opening (the same for all).
        due:
          t.createdAt < EVENING
            ? t.firstResponseDueAt.getTime() - t.createdAt.getTime()
            : t.firstResponseDueAt,
        afterHoursNoticeFor: t.afterHoursNoticeFor,
        lastInboundAt: t.lastInboundAt,
        contact: {
          displayName: t.contact.displayName,
          phone: t.contact.phone,
          sourceCode: t.contact.sourceCode,
          identities: t.contact.identities.map((i) => [i.channel, i.externalUserId, i.handle]),
        },
        messages: t.messages.map((m) => ({
          direction: m.direction,
          text: m.text,
          externalId: m.externalId,
          automated: m.automated,
          deliveryStatus: m.deliveryStatus,
          extra: m.extra,
          queued: queuedIds.has(m.id),
        })),
        events: events
          .filter((e) => e.ticketId === t.id)
          .map((e) => [e.type, JSON.stringify(e.payload).replace(/"[0-9a-f-]{36}"/g, '"<id>"')]),
      })),
      numberOf,
    };
  }

  const outcomes = (results: ReceiveResult[]) =>
    results.map((r) =>
      r.outcome === 'stored'
        ? { stored: r.ticket.number, created: r.ticketCreated, replies: r.replies.map((m) => m.text) }
        : { duplicate: true },
    );

  it('stores a mixed lot with the same rows and outcomes as one transaction per message', async () => {
    await setup();
    const expectedDay = outcomes(await oneByOne(MIXED, NOW));
    const expectedNight = outcomes(await oneByOne(NIGHT, EVENING));
    const { numberOf: _ids, ...expected } = await snapshot();

    await db.reset();
    await setup();
    expect(outcomes(await batch(MIXED, NOW))).toEqual(expectedDay);
    expect(outcomes(await batch(NIGHT, EVENING))).toEqual(expectedNight);
    const { numberOf: _batchIds, ...actual } = await snapshot();
    expect(actual).toEqual(expected);

    // The lot really covered the cases it names.
    const replies = expectedDay.flatMap((o) => ('replies' in o ? (o.replies ?? []) : []));
    expect(replies.some((text) => text.includes('KTP-el'))).toBe(true);
    expect(expectedDay.filter((o) => 'duplicate' in o)).toHaveLength(2);
    expect(expectedNight.map((o) => ('replies' in o ? o.replies?.length : 0))).toEqual([1, 1, 0]);
  });

  it('opens one ticket for two messages of a brand-new citizen, the second listed after the first', async () => {
    const results = await batch([msg('700', 1, 'halo'), msg('700', 2, 'mau buat akta kelahiran')], NOW);
    const tickets = await db.prisma.ticket.findMany({
      include: { messages: { orderBy: { createdAt: 'asc' } } },
    });
    expect(tickets).toHaveLength(1);
    expect(results.map((r) => r.outcome === 'stored' && r.ticketCreated)).toEqual([true, false]);
    expect(tickets[0]?.messages.filter((m) => m.direction === 'inbound').map((m) => m.externalId)).toEqual([
      '700:1',
      '700:2',
    ]);
    expect(await db.prisma.ticketCounter.findUnique({ where: { year: 2026 } })).toMatchObject({ value: 1 });
  });

  it('keeps one copy when two gateways store overlapping lots at once', async () => {
    const other = createInboxStore(db.prisma);
    const lot = (from: number) =>
      Array.from({ length: 20 }, (_, i) => msg(String(800 + ((from + i) % 25)), from + i, 'halo'));
    const [first, second] = await Promise.all([batch(lot(0), NOW), batch(lot(10), NOW, other)]);
    const stored = [...first, ...second].filter((r) => r.outcome === 'stored');
    expect(await db.prisma.message.count({ where: { direction: 'inbound' } })).toBe(30);
    expect(stored).toHaveLength(30);
    // One contact and one ticket per citizen, and gap-free numbers.
    expect(await db.prisma.contact.count()).toBe(25);
    expect(await db.prisma.ticket.count()).toBe(25);
    expect(await db.prisma.ticketCounter.findUnique({ where: { year: 2026 } })).toMatchObject({ value: 25 });
  });

  it('falls back to one transaction per message when the lot fails, so only the poisoned one fails', async () => {
    const poisoned = msg('900', 1, 'halo', { displayName: 'x'.repeat(10) });
    let calls = 0;
    // A store whose batches always fail: what a poisoned message does to the lot it is in.
    const failing = Object.assign(Object.create(store) as typeof store, {
      inboundBatch: () => {
        calls += 1;
        return Promise.reject(new Error('batch failed'));
      },
      transaction: <T>(work: Parameters<typeof store.transaction<T>>[0]) =>
        store.transaction((tx) => {
          const guarded = Object.assign(Object.create(tx) as typeof tx, {
            findOrCreateContact: (identity: Parameters<typeof tx.findOrCreateContact>[0]) =>
              identity.externalUserId === '900'
                ? Promise.reject(new Error('poisoned'))
                : tx.findOrCreateContact(identity),
          });
          return work(guarded);
        }),
    });
    const outcomes = await storeInboundMessages({
      store: failing,
      clock: fixedClock(),
      policy: DEFAULT_OFFICE_POLICY,
      messages: [msg('901', 1, 'halo'), poisoned, msg('902', 1, 'halo')],
    });
    expect(calls).toBe(1);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(await db.prisma.message.count({ where: { direction: 'inbound' } })).toBe(2);
  });
});
