import type { ReportFigures, ReportQueries, ReportWindow } from '@loket/core';
import type { PrismaClient } from '../generated/prisma/client.ts';

// The database aggregates, so a year of tickets costs four small result sets, never a row per ticket:
// the ticket queries take the tickets opened in the window through the Ticket(createdAt) index, and
// complaints (a small share of tickets) are counted straight from their tables.
// Counts are cast to int (a bigint would come back as a BigInt); the timestamps are UTC `timestamp`
// columns, so `AT TIME ZONE 'UTC'` makes them instants before they are read on the office's clocks.
// percentile_cont is plain PostgreSQL and exists in PGlite too.

type VolumeRow = {
  byChannel: number;
  byService: number;
  channel: string | null;
  service: string | null;
  source: string | null;
  count: number;
};

type SlaRow = {
  met: number;
  breached: number;
  openWithin: number;
  openBreached: number;
  answered: number;
  median: number | null;
  p90: number | null;
};

type ComplaintRow = ReportFigures['complaints'];

export function createReportQueries(prisma: PrismaClient): ReportQueries {
  return {
    async summaryFigures(window) {
      // One snapshot for all four, so the sections add up to the same tickets while new ones arrive.
      const [volume, [sla], [complaints], localTimes] = await prisma.$transaction(
        [
          volumeRows(prisma, window),
          slaRows(prisma, window),
          complaintRows(prisma, window),
          localTimeRows(prisma, window),
        ],
        { isolationLevel: 'RepeatableRead' },
      );
      if (!sla || !complaints) throw new Error('a report query returned no row');
      return {
        ticketsByChannel: volume
          .filter((row) => row.byChannel === 0)
          .map((row) => ({ key: row.channel ?? '', count: row.count })),
        ticketsByService: volume
          .filter((row) => row.byService === 0)
          .map((row) => ({ key: row.service ?? '', count: row.count })),
        ticketsBySource: volume
          .filter((row) => row.byChannel === 1 && row.byService === 1)
          .map((row) => ({ key: row.source, count: row.count })),
        sla: {
          met: sla.met,
          breached: sla.breached,
          openWithin: sla.openWithin,
          openBreached: sla.openBreached,
        },
        firstResponse: { answered: sla.answered, medianSeconds: sla.median, p90Seconds: sla.p90 },
        complaints,
        ticketsByLocalTime: localTimes,
      };
    },
  };
}

/** One pass for the three breakdowns; GROUPING() tells which set a row belongs to (0 = grouped by it). */
function volumeRows(prisma: PrismaClient, { from, to }: ReportWindow) {
  return prisma.$queryRaw<VolumeRow[]>`
    SELECT GROUPING(channel)::int AS "byChannel", GROUPING(service)::int AS "byService",
           channel, service, "sourceCode" AS source, count(*)::int AS count
    FROM "Ticket"
    WHERE "createdAt" >= ${from} AND "createdAt" < ${to}
    GROUP BY GROUPING SETS ((channel), (service), ("sourceCode"))`;
}

/**
 * The SLA outcome of each ticket opened in the window, with the boundaries of slaStateAt and the
 * sweep: a first response before the deadline is met, at or after it breached; unanswered tickets
 * are judged at `now`. First-response time runs from the ticket's creation (what the citizen waited).
 */
function slaRows(prisma: PrismaClient, { from, to, now }: ReportWindow) {
  return prisma.$queryRaw<SlaRow[]>`
    SELECT
      (count(*) FILTER (WHERE "firstRespondedAt" < "firstResponseDueAt"))::int AS met,
      (count(*) FILTER (WHERE "firstRespondedAt" >= "firstResponseDueAt"))::int AS breached,
      (count(*) FILTER (WHERE "firstRespondedAt" IS NULL AND "firstResponseDueAt" > ${now}))::int AS "openWithin",
      (count(*) FILTER (WHERE "firstRespondedAt" IS NULL AND "firstResponseDueAt" <= ${now}))::int AS "openBreached",
      count("firstRespondedAt")::int AS answered,
      percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM "firstRespondedAt" - "createdAt")::float8) AS median,
      percentile_cont(0.9) WITHIN GROUP (
        ORDER BY extract(epoch FROM "firstRespondedAt" - "createdAt")::float8) AS p90
    FROM "Ticket"
    WHERE "createdAt" >= ${from} AND "createdAt" < ${to}`;
}

/**
 * Opened: created in the window. Resolved and rejected: moved there in the window, whenever opened
 * (from the stage history). Overdue: opened in the window, still open, current stage past due at now.
 */
function complaintRows(prisma: PrismaClient, { from, to, now }: ReportWindow) {
  return prisma.$queryRaw<ComplaintRow[]>`
    SELECT
      (SELECT count(*)::int FROM "Complaint"
        WHERE "createdAt" >= ${from} AND "createdAt" < ${to}) AS opened,
      (SELECT count(DISTINCT "complaintId")::int FROM "ComplaintEvent"
        WHERE "toStatus" = 'resolved' AND at >= ${from} AND at < ${to}) AS resolved,
      (SELECT count(DISTINCT "complaintId")::int FROM "ComplaintEvent"
        WHERE "toStatus" = 'rejected' AND at >= ${from} AND at < ${to}) AS rejected,
      (SELECT count(*)::int FROM "Complaint"
        WHERE "createdAt" >= ${from} AND "createdAt" < ${to}
          AND status NOT IN ('resolved', 'rejected') AND "stageDueAt" <= ${now}) AS overdue`;
}

function localTimeRows(prisma: PrismaClient, { from, to, timezone }: ReportWindow) {
  return prisma.$queryRaw<ReportFigures['ticketsByLocalTime']>`
    SELECT extract(isodow FROM local)::int AS weekday, extract(hour FROM local)::int AS hour,
           count(*)::int AS count
    FROM (
      SELECT ("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timezone}::text AS local
      FROM "Ticket"
      WHERE "createdAt" >= ${from} AND "createdAt" < ${to}
    ) AS opened
    GROUP BY 1, 2`;
}
