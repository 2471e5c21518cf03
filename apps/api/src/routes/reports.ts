import { createRoute, z } from '@hono/zod-openapi';
import {
  buildSummaryReport,
  DEFAULT_REPORT_DAYS,
  MAX_REPORT_DAYS,
  reportDays,
  resolveReportRange,
  type SummaryReport,
} from '@loket/core';
import type { LoketApp } from '../app.ts';
import { requireRole } from '../auth.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { summaryReportCsv } from '../report-csv.ts';

const count = z.number().int().min(0);
const seconds = z.number().int().min(0).nullable();

const summaryReportSchema = z
  .object({
    range: z.object({
      from: z.string().datetime(),
      to: z.string().datetime().openapi({ description: 'Exclusive: tickets opened before this instant' }),
      timezone: z.string().openapi({ example: 'Asia/Jakarta' }),
    }),
    generatedAt: z.string().datetime().openapi({ description: 'The moment open tickets were judged at' }),
    tickets: z.object({
      total: count,
      byChannel: z.array(z.object({ channel: z.string(), count })),
      byService: z.array(z.object({ service: z.string(), name: z.string(), count })),
      bySource: z
        .array(
          z.object({
            code: z.string().openapi({ example: 'beji--kukusan' }),
            kelurahan: z.string().nullable(),
            kecamatan: z.string().nullable(),
            count,
          }),
        )
        .openapi({
          description:
            "By the kelurahan banner that brought each ticket: every kelurahan (zeros included), then `unknown` for tickets without a known banner code. A ticket without a code of its own counts under its contact's first banner.",
        }),
    }),
    sla: z
      .object({
        met: count.openapi({ description: 'First response sent before the deadline' }),
        breached: count.openapi({ description: 'First response sent at or after the deadline' }),
        openWithin: count.openapi({ description: 'Not answered yet, deadline still ahead' }),
        openBreached: count.openapi({ description: 'Not answered yet, deadline passed' }),
        complianceRate: z.number().min(0).max(1).nullable().openapi({
          description: 'met / (met + breached + openBreached); null when no outcome is known yet',
        }),
      })
      .openapi({
        description:
          'Of the tickets opened in the range. "Answered" is the inbox\'s `met` state (an officer\'s reply was sent); the report also asks whether it came in time.',
      }),
    firstResponse: z
      .object({
        measuredFrom: z.literal('ticket_created'),
        answered: count,
        medianSeconds: seconds,
        p90Seconds: seconds,
      })
      .openapi({
        description:
          "Time from the citizen's first message (ticket creation) to the first officer reply sent, over the answered tickets opened in the range. Not from the SLA clock's start, which waits for the next opening: this is the wait the citizen lived.",
      }),
    complaints: z
      .object({
        opened: count,
        resolved: count.openapi({ description: 'Resolved in the range, whenever opened' }),
        rejected: count.openapi({ description: 'Rejected in the range, whenever opened' }),
        overdue: count.openapi({
          description: 'Opened in the range and still open, with the current stage past its due time now',
        }),
      })
      .openapi({ description: 'Complaints (pengaduan)' }),
    busiest: z.object({
      byHour: z.array(z.object({ hour: z.number().int().min(0).max(23), count })),
      byWeekday: z.array(
        z.object({
          weekday: z.number().int().min(1).max(7).openapi({ description: '1 = Monday' }),
          name: z.string().openapi({ example: 'Senin' }),
          count,
        }),
      ),
    }),
  })
  .openapi('SummaryReport');

const dateOrDateTime = (description: string) =>
  z.string().min(1).max(40).optional().openapi({ description, example: '2026-03-01' });

const getSummary = createRoute({
  method: 'get',
  path: '/v1/reports/summary',
  tags: ['reports'],
  summary: 'Volume, SLA compliance, first-response times, complaints and busiest hours',
  description: `Covers the tickets opened in [from, to). Dates are days on the office's clocks (\`to\` includes its day); date-times need an offset. Default: the ${DEFAULT_REPORT_DAYS} days before now; at most ${MAX_REPORT_DAYS} days. With \`Accept: text/csv\`, the same figures as one CSV table (metric,key,label,group,value) with a UTF-8 byte order mark.`,
  request: {
    query: z.object({
      from: dateOrDateTime('First day (YYYY-MM-DD) or instant (with offset) included'),
      to: dateOrDateTime('Last day included (YYYY-MM-DD), or the instant the range ends before'),
    }),
  },
  responses: {
    200: {
      description: 'The report',
      content: {
        'application/json': { schema: summaryReportSchema },
        'text/csv': { schema: z.string().openapi({ example: 'metric,key,label,group,value\r\n' }) },
      },
    },
    ...errorResponses(400, 401, 403),
  },
});

function reportJson(report: SummaryReport): z.infer<typeof summaryReportSchema> {
  return {
    ...report,
    range: { ...report.range, from: report.range.from.toISOString(), to: report.range.to.toISOString() },
    generatedAt: report.generatedAt.toISOString(),
  };
}

export function registerReportRoutes(app: LoketApp, deps: ApiDeps): void {
  app.use('/v1/reports/*', requireRole('supervisor'));

  app.openapi(getSummary, async (c) => {
    const query = c.req.valid('query');
    const policy = await deps.settings.getPolicy();
    const now = deps.clock.now();
    const resolved = resolveReportRange(query, policy.timezone, now);
    if (!resolved.ok) {
      throw new ApiError('VALIDATION_FAILED', 'the report range is not valid', { issues: resolved.issues });
    }
    const window = { ...resolved.range, now, timezone: policy.timezone };
    const report = buildSummaryReport(await deps.reports.summaryFigures(window), { window, policy });

    if (!(c.req.header('accept') ?? '').toLowerCase().includes('text/csv'))
      return c.json(reportJson(report), 200);
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'report.export',
      target: 'report:summary',
      meta: { from: window.from.toISOString(), to: window.to.toISOString(), format: 'csv' },
    });
    const days = reportDays(window, window.timezone);
    return c.body(summaryReportCsv(report), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="loket-laporan-${days.first}_${days.last}.csv"`,
    });
  });
}
