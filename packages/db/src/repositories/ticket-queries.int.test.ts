import type { TicketRecord } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, fixedClock, NOW, receive } from './test-fixtures.ts';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('TicketQueries on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  let officerId: string;
  const tickets: TicketRecord[] = [];

  /** Seven tickets, one minute apart: citizens 1..7, some on WhatsApp, some assigned or pending. */
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
    officerId = (
      await repos.users.create({ name: 'Ani', email: 'ani@x.id', role: 'officer', tokenHash: 'h' })
    ).id;
    const clock = fixedClock();
    const texts = [
      'akta kelahiran',
      'pindah domisili',
      'KTP hilang',
      'akta kematian',
      'kartu keluarga',
      'halo',
      'KIA anak',
    ];
    for (const [i, text] of texts.entries()) {
      clock.advance(60_000);
      const result = await receive(
        repos.inbox,
        citizenMessage({
          channel: i % 3 === 0 ? 'whatsapp' : 'telegram',
          externalMessageId: `m${i}`,
          externalUserId: `u${i}`,
          externalThreadId: `t${i}`,
          displayName: i === 4 ? 'Rahmat Hidayat' : `Warga ${i + 1}`,
          text,
        }),
        clock,
      );
      if (result.outcome !== 'stored') throw new Error('expected stored');
      tickets.push(result.ticket);
    }
    await repos.tickets.updateTicket(tickets[1]!.id, { assigneeId: officerId });
    await repos.tickets.updateTicket(tickets[2]!.id, { status: 'pending', assigneeId: officerId });
  });
  afterAll(() => db?.close());

  const numbersOf = (items: TicketRecord[]) => items.map((t) => t.number.slice(-1));

  it('lists newest activity first with the contact name', async () => {
    const { items, nextCursor } = await repos.tickets.listTickets({ limit: 50 });
    expect(numbersOf(items)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
    expect(items[2]?.contactName).toBe('Rahmat Hidayat');
    expect(nextCursor).toBeNull();
  });

  it('lists each ticket exactly as getTicket reads it, timestamps to the millisecond', async () => {
    // The list is hand-written SQL returning JSON with epoch milliseconds; getTicket goes through
    // Prisma. Set and unset timestamps (answered, breached, out-of-hours) must come out the same.
    const { id: answered, firstRespondedAt, slaBreachedAt, afterHoursNoticeFor } = tickets[3]!;
    await db.prisma.ticket.update({
      where: { id: answered },
      data: {
        firstRespondedAt: new Date(NOW.getTime() + 1_234),
        slaBreachedAt: new Date(NOW.getTime() + 5_678),
        afterHoursNoticeFor: new Date(NOW.getTime() + 9),
      },
    });
    const { items } = await repos.tickets.listTickets({ limit: 50 });
    expect(items.length).toBe(tickets.length);
    for (const item of items) expect(item).toEqual(await repos.tickets.getTicket(item.id));
    expect(items.find((t) => t.id === answered)?.firstRespondedAt).toEqual(new Date(NOW.getTime() + 1_234));
    await db.prisma.ticket.update({
      where: { id: answered },
      data: { firstRespondedAt, slaBreachedAt, afterHoursNoticeFor },
    });
  });

  it('pages with an opaque cursor, without repeats or gaps', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await repos.tickets.listTickets({ limit: 3, cursor });
      seen.push(...numbersOf(result.items));
      if (!result.nextCursor) break;
      expect(result.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(['7', '6', '5', '4', '3', '2', '1']);
  });

  it('filters by status, channel, service and assignee', async () => {
    const list = async (filter: Parameters<Repositories['tickets']['listTickets']>[0]) =>
      numbersOf((await repos.tickets.listTickets(filter)).items);
    expect(await list({ limit: 50, status: 'pending' })).toEqual(['3']);
    expect(await list({ limit: 50, channel: 'whatsapp' })).toEqual(['7', '4', '1']);
    expect(await list({ limit: 50, service: 'AKTA_KELAHIRAN' })).toEqual(['1']);
    expect(await list({ limit: 50, assignee: officerId })).toEqual(['3', '2']);
    expect(await list({ limit: 50, assignee: 'none' })).toEqual(['7', '6', '5', '4', '1']);
    expect(await list({ limit: 50, assignee: 'none', channel: 'telegram' })).toEqual(['6', '5']);
  });

  it('searches ticket number, contact name and message text, ignoring case', async () => {
    const search = async (q: string) => numbersOf((await repos.tickets.listTickets({ limit: 50, q })).items);
    expect(await search('dpk-2026-000004')).toEqual(['4']);
    expect(await search('rahmat')).toEqual(['5']);
    expect(await search('DOMISILI')).toEqual(['2']);
    expect(await search('tidak ada yang cocok')).toEqual([]);
    expect(await search('50%_')).toEqual([]);
  });

  it('treats any unknown or malformed id as not found instead of failing', async () => {
    for (const id of ['nope', '', '\'; DROP TABLE "Ticket"; --', 'a\u0000b', '😀'.repeat(100)]) {
      expect(await repos.tickets.getTicket(id)).toBeNull();
      expect(await repos.tickets.listMessages(id)).toEqual([]);
      expect(await repos.tickets.updateTicket(id, { status: 'closed' })).toBeNull();
    }
    expect((await repos.tickets.listTickets({ limit: 2, cursor: 'not-a-cursor' })).items).toHaveLength(2);
  });

  it('lists messages oldest first', async () => {
    const messages = await repos.tickets.listMessages(tickets[0]!.id);
    expect(messages.map((m) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(messages[0]?.createdAt.getTime()).toBeLessThan(messages[1]!.createdAt.getTime());
  });

  it('updates status, priority and service, keeping the detected service', async () => {
    const updated = await repos.tickets.updateTicket(tickets[5]!.id, {
      status: 'resolved',
      priority: 'high',
      service: 'KARTU_KELUARGA',
    });
    expect(updated).toMatchObject({
      status: 'resolved',
      priority: 'high',
      service: 'KARTU_KELUARGA',
      serviceDetected: tickets[5]!.serviceDetected,
      contactName: 'Warga 6',
    });
    const unassigned = await repos.tickets.updateTicket(tickets[1]!.id, { assigneeId: null });
    expect(unassigned?.assigneeId).toBeNull();
    await repos.tickets.updateTicket(tickets[1]!.id, { assigneeId: officerId });
    expect((await repos.tickets.getTicket(tickets[5]!.id))?.createdAt).toEqual(
      new Date(NOW.getTime() + 6 * 60_000),
    );
  });
});
