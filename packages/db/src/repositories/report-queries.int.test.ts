import type { ReportWindow } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createReportQueries } from './report-queries.ts';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);

// The week of 1-7 March 2026 in Jakarta (UTC+7), judged on 10 March.
const WINDOW: ReportWindow = {
  from: at('2026-02-28T17:00:00Z'),
  to: at('2026-03-07T17:00:00Z'),
  now: at('2026-03-10T02:00:00Z'),
  timezone: 'Asia/Jakarta',
};

type TicketSeed = {
  id: string;
  channel: string;
  service: string;
  sourceCode: string | null;
  createdAt: Date;
  respondedAfterHours: number | null;
};

// Local times in the comments are Jakarta's. Each ticket's deadline is 72 h after it was opened.
const TICKETS: TicketSeed[] = [
  // Monday 09:00, answered after 1 h: met.
  {
    id: 't1',
    channel: 'telegram',
    service: 'KK',
    sourceCode: 'beji--kukusan',
    createdAt: at('2026-03-02T02:00:00Z'),
    respondedAfterHours: 1,
  },
  // Monday 09:30, answered after 2 h: met.
  {
    id: 't2',
    channel: 'whatsapp',
    service: 'KK',
    sourceCode: 'beji--kukusan',
    createdAt: at('2026-03-02T02:30:00Z'),
    respondedAfterHours: 2,
  },
  // Tuesday 20:00, answered exactly at the deadline: breached (the sweep breaches at due <= now).
  {
    id: 't3',
    channel: 'whatsapp',
    service: 'AKTA_KELAHIRAN',
    sourceCode: null,
    createdAt: at('2026-03-03T13:00:00Z'),
    respondedAfterHours: 72,
  },
  // Wednesday 08:00, never answered, due on 7 March: open and breached on 10 March.
  {
    id: 't4',
    channel: 'instagram-graph',
    service: 'KK',
    sourceCode: 'cinere--gandul',
    createdAt: at('2026-03-04T01:00:00Z'),
    respondedAfterHours: null,
  },
  // Saturday 23:59, the last minute of the window, due on 10 March 23:59: open within the deadline.
  {
    id: 't5',
    channel: 'telegram',
    service: 'LAINNYA',
    sourceCode: 'KEL-OLD',
    createdAt: at('2026-03-07T16:59:00Z'),
    respondedAfterHours: null,
  },
  // Outside the window by a minute either way.
  {
    id: 't6',
    channel: 'telegram',
    service: 'KK',
    sourceCode: null,
    createdAt: at('2026-02-28T16:59:00Z'),
    respondedAfterHours: 1,
  },
  {
    id: 't7',
    channel: 'telegram',
    service: 'KK',
    sourceCode: null,
    createdAt: at('2026-03-07T17:00:00Z'),
    respondedAfterHours: null,
  },
];

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('ReportQueries on %s', (kind) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    const prisma = db.prisma;
    await prisma.contact.create({ data: { id: 'c1', displayName: 'Warga' } });
    for (const [index, ticket] of TICKETS.entries()) {
      await prisma.ticket.create({
        data: {
          id: ticket.id,
          number: `DPK-2026-${String(index + 1).padStart(6, '0')}`,
          channel: ticket.channel,
          threadId: ticket.id,
          contactId: 'c1',
          service: ticket.service,
          sourceCode: ticket.sourceCode,
          createdAt: ticket.createdAt,
          lastMessageAt: ticket.createdAt,
          firstResponseDueAt: new Date(ticket.createdAt.getTime() + 72 * HOUR),
          slaWarnAt: new Date(ticket.createdAt.getTime() + 57.6 * HOUR),
          firstRespondedAt:
            ticket.respondedAfterHours === null
              ? null
              : new Date(ticket.createdAt.getTime() + ticket.respondedAfterHours * HOUR),
        },
      });
    }
    const complaint = async (
      id: string,
      ticketId: string,
      createdAt: string,
      status: 'received' | 'in_follow_up' | 'resolved' | 'rejected',
      stageDueAt: string | null,
      movedAt?: string,
    ) => {
      await prisma.complaint.create({
        data: {
          id,
          number: `ADU-2026-${id}`,
          ticketId,
          reason: 'sla_breach',
          status,
          stageDueAt: stageDueAt ? at(stageDueAt) : null,
          createdAt: at(createdAt),
          events: {
            create: [
              { id: `${id}-0`, toStatus: 'received', at: at(createdAt) },
              ...(movedAt
                ? [{ id: `${id}-1`, fromStatus: 'received' as const, toStatus: status, at: at(movedAt) }]
                : []),
            ],
          },
        },
      });
    };
    // Opened in the window, its first stage overdue since 9 March.
    await complaint('k1', 't4', '2026-03-07T01:00:00Z', 'received', '2026-03-09T01:00:00Z');
    // Opened and resolved in the window.
    await complaint('k2', 't3', '2026-03-06T13:00:00Z', 'resolved', null, '2026-03-07T00:00:00Z');
    // Opened before the window, resolved in it.
    await complaint('k3', 't6', '2026-02-27T00:00:00Z', 'resolved', null, '2026-03-02T00:00:00Z');
    // Opened in the window, moved on, its stage not yet due.
    await complaint(
      'k4',
      't1',
      '2026-03-05T00:00:00Z',
      'in_follow_up',
      '2026-03-20T00:00:00Z',
      '2026-03-05T01:00:00Z',
    );
    // Opened before the window, rejected in it.
    await complaint('k5', 't6', '2026-02-20T00:00:00Z', 'rejected', null, '2026-03-03T00:00:00Z');
    // Opened before the window and overdue: not this window's.
    await complaint('k6', 't6', '2026-02-21T00:00:00Z', 'received', '2026-02-25T00:00:00Z');
  });
  afterAll(() => db?.close());

  it('counts the tickets opened in the window by channel, service and banner code', async () => {
    const figures = await createReportQueries(db.prisma).summaryFigures(WINDOW);
    const sorted = <K>(rows: { key: K; count: number }[]) =>
      [...rows].sort((a, b) => String(a.key).localeCompare(String(b.key)));
    expect(sorted(figures.ticketsByChannel)).toEqual([
      { key: 'instagram-graph', count: 1 },
      { key: 'telegram', count: 2 },
      { key: 'whatsapp', count: 2 },
    ]);
    expect(sorted(figures.ticketsByService)).toEqual([
      { key: 'AKTA_KELAHIRAN', count: 1 },
      { key: 'KK', count: 3 },
      { key: 'LAINNYA', count: 1 },
    ]);
    expect(sorted(figures.ticketsBySource)).toEqual([
      { key: 'beji--kukusan', count: 2 },
      { key: 'cinere--gandul', count: 1 },
      { key: 'KEL-OLD', count: 1 },
      { key: null, count: 1 },
    ]);
  });

  it('judges the SLA like the sweep and gives first-response percentiles from ticket creation', async () => {
    const figures = await createReportQueries(db.prisma).summaryFigures(WINDOW);
    expect(figures.sla).toEqual({ met: 2, breached: 1, openWithin: 1, openBreached: 1 });
    // Answered after 1 h, 2 h and 72 h. Median 2 h; p90 interpolates 80% of the way from 2 h to 72 h.
    expect(figures.firstResponse.answered).toBe(3);
    expect(figures.firstResponse.medianSeconds).toBeCloseTo(7200, 6);
    expect(figures.firstResponse.p90Seconds).toBeCloseTo(7200 + 0.8 * (259_200 - 7200), 6);
  });

  it('counts complaints opened, resolved, rejected and overdue', async () => {
    const figures = await createReportQueries(db.prisma).summaryFigures(WINDOW);
    expect(figures.complaints).toEqual({ opened: 3, resolved: 2, rejected: 1, overdue: 1 });
  });

  it("reads weekdays and hours on the office's clocks", async () => {
    const figures = await createReportQueries(db.prisma).summaryFigures(WINDOW);
    const cells = [...figures.ticketsByLocalTime].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
    expect(cells).toEqual([
      { weekday: 1, hour: 9, count: 2 },
      { weekday: 2, hour: 20, count: 1 },
      { weekday: 3, hour: 8, count: 1 },
      { weekday: 6, hour: 23, count: 1 },
    ]);
  });

  it('gives zeros and no percentiles for an empty window', async () => {
    const figures = await createReportQueries(db.prisma).summaryFigures({
      ...WINDOW,
      from: at('2025-01-01T00:00:00Z'),
      to: at('2025-02-01T00:00:00Z'),
    });
    expect(figures).toEqual({
      ticketsByChannel: [],
      ticketsByService: [],
      ticketsBySource: [],
      sla: { met: 0, breached: 0, openWithin: 0, openBreached: 0 },
      firstResponse: { answered: 0, medianSeconds: null, p90Seconds: null },
      complaints: { opened: 0, resolved: 0, rejected: 0, overdue: 0 },
      ticketsByLocalTime: [],
    });
  });
});
