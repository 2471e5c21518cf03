import { type SlaState, slaStateAt, type TicketFilter, type TicketRecord } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, fixedClock, NOW, receive } from './test-fixtures.ts';

const HOUR = 3_600_000;

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('inbox search and filters on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  const clock = fixedClock();
  const byName = new Map<string, TicketRecord>();

  async function open(name: string, extra: Parameters<typeof citizenMessage>[0] = {}): Promise<TicketRecord> {
    clock.advance(60_000);
    const result = await receive(
      repos.inbox,
      citizenMessage({
        externalMessageId: `m-${name}`,
        externalUserId: `u-${name}`,
        externalThreadId: `t-${name}`,
        displayName: name,
        text: 'halo',
        ...extra,
      }),
      clock,
    );
    if (result.outcome !== 'stored') throw new Error('expected stored');
    byName.set(name, result.ticket);
    return result.ticket;
  }

  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
    await open('Siti Aminah', { phone: '6281234567890', channel: 'whatsapp' });
    await open('Budi', { handle: 'budi_depok', channel: 'telegram' });
    await open('Rina', { externalUserId: '628777000111@s.whatsapp.net', channel: 'whatsapp' });
    await open('Agus', { text: 'Saya mau urus SURAT PINDAH ke Bogor' });
    await open('Persen 100% Benar');
    await open('Garis_Bawah');
    await open('Miring\\Balik');
  });
  afterAll(() => db?.close());

  const search = async (q: string) =>
    (await repos.tickets.listTickets({ limit: 50, q })).items.map((t) => t.contactName).sort();

  it('matches the ticket number, name, phone in any form, handle and user id on the channel', async () => {
    const siti = byName.get('Siti Aminah')!;
    expect(await search(siti.number.toLowerCase())).toEqual(['Siti Aminah']);
    expect(await search('aminah')).toEqual(['Siti Aminah']);
    for (const phone of ['6281234567890', '081234567890', '+62 812-3456-7890', '1234567890'])
      expect(await search(phone), phone).toEqual(['Siti Aminah']);
    expect(await search('BUDI_DEPOK')).toEqual(['Budi']);
    expect(await search('0877-7000-111')).toEqual(['Rina']);
    expect(await search('628777000111@s.whatsapp')).toEqual(['Rina']);
  });

  it("matches what citizens and officers wrote, but not Loket's automatic texts", async () => {
    expect(await search('surat pindah')).toEqual(['Agus']);
    const budi = byName.get('Budi')!;
    await repos.inbox.transaction((tx) =>
      tx.appendMessage({
        ticketId: budi.id,
        channel: 'telegram',
        direction: 'note',
        text: 'Berkas KK sudah diverifikasi',
        authorId: null,
        createdAt: clock.now(),
      }),
    );
    expect(await search('diverifikasi')).toEqual(['Budi']);
    // Every acknowledgement says "Terima kasih, pesan Anda sudah kami terima".
    expect(await search('pesan anda sudah kami terima')).toEqual([]);
  });

  it('takes LIKE wildcards and the escape character literally', async () => {
    expect(await search('%')).toEqual(['Persen 100% Benar']);
    expect(await search('0%')).toEqual(['Persen 100% Benar']);
    // Budi's handle is budi_depok.
    expect(await search('_')).toEqual(['Budi', 'Garis_Bawah']);
    expect(await search('s_b')).toEqual(['Garis_Bawah']);
    expect(await search('\\')).toEqual(['Miring\\Balik']);
    expect(await search('g\\b')).toEqual(['Miring\\Balik']);
  });

  it('filters SLA states exactly as slaStateAt judges them, at any moment', async () => {
    // Four tickets, each in a different state at `probe`, built by moving their clocks.
    const probe = new Date(NOW.getTime() + 100 * HOUR);
    const shapes: Record<string, { due: number; warn: number; responded: number | null }> = {
      'SLA on track': { due: +10, warn: +2, responded: null },
      'SLA warning': { due: +10, warn: 0, responded: null },
      'SLA breached': { due: 0, warn: -5, responded: null },
      'SLA met': { due: -20, warn: -30, responded: -40 },
    };
    for (const [name, shape] of Object.entries(shapes)) {
      const ticket = await open(name);
      await db.prisma.ticket.update({
        where: { id: ticket.id },
        data: {
          firstResponseDueAt: new Date(probe.getTime() + shape.due * HOUR),
          slaWarnAt: new Date(probe.getTime() + shape.warn * HOUR),
          firstRespondedAt:
            shape.responded === null ? null : new Date(probe.getTime() + shape.responded * HOUR),
        },
      });
    }
    const all = (await repos.tickets.listTickets({ limit: 200 })).items;
    // The boundaries (exactly at warn and due time), either side of them, and long before and after.
    const moments = [-200, -8, -2, -1, 0, 1, 9, 10, 11, 300].map((h) => new Date(probe.getTime() + h * HOUR));
    moments.push(new Date(probe.getTime() - 1), new Date(probe.getTime() + 10 * HOUR - 1));
    for (const now of moments) {
      for (const state of ['on_track', 'warning', 'breached', 'met'] as SlaState[]) {
        const fromSql = (await repos.tickets.listTickets({ limit: 200, slaState: state }, now)).items;
        const fromRule = all.filter((ticket) => slaStateAt(ticket, now) === state);
        expect(fromSql.map((t) => t.id).sort(), `${state} at ${now.toISOString()}`).toEqual(
          fromRule.map((t) => t.id).sort(),
        );
      }
    }
    const atProbe = async (slaState: SlaState) =>
      (await repos.tickets.listTickets({ limit: 200, slaState, q: 'SLA' }, probe)).items.map(
        (t) => t.contactName,
      );
    expect(await atProbe('on_track')).toEqual(['SLA on track']);
    expect(await atProbe('warning')).toEqual(['SLA warning']);
    expect(await atProbe('breached')).toEqual(['SLA breached']);
    expect(await atProbe('met')).toEqual(['SLA met']);
  });

  it('lists as overdue only open or pending tickets still unanswered after their due time', async () => {
    const late = new Date(NOW.getTime() + 1000 * HOUR);
    const overdue = async () =>
      (await repos.tickets.listTickets({ limit: 200, overdue: true, q: 'SLA' }, late)).items.map(
        (t) => t.contactName,
      );
    expect((await overdue()).sort()).toEqual(['SLA breached', 'SLA on track', 'SLA warning']);
    await repos.tickets.updateTicket(byName.get('SLA warning')!.id, { status: 'resolved' });
    expect((await overdue()).sort()).toEqual(['SLA breached', 'SLA on track']);
  });

  it('pages a filtered list without repeats or gaps while new tickets arrive', async () => {
    const filter: TicketFilter = { limit: 2, status: 'open', assignee: 'none' };
    const expected = (await repos.tickets.listTickets({ ...filter, limit: 200 })).items.map((t) => t.id);
    expect(expected.length).toBeGreaterThan(6);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const result = await repos.tickets.listTickets({ ...filter, ...(cursor ? { cursor } : {}) });
      seen.push(...result.items.map((t) => t.id));
      // New citizens write between pages: their tickets sort above the cursor.
      await open(`Pendatang ${page}`);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(expected);
  });
});
