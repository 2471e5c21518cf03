import type { SummaryReport } from '@loket/core';
import { type CsvCell, toCsv } from './csv.ts';

/**
 * The summary report as one long table, one figure a row: `metric,key,label,group,value`. A
 * spreadsheet user filters on `metric` or pivots on it (rows: key or group, values: sum of value);
 * `group` holds the kecamatan of a kelurahan row, so kelurahan roll up into kecamatan. Every key the
 * JSON lists is here, zeros included.
 */
export const REPORT_CSV_HEADER = ['metric', 'key', 'label', 'group', 'value'] as const;

const UNKNOWN_SOURCE_LABEL = 'tidak diketahui (tanpa kode spanduk)';

export function summaryReportCsv(report: SummaryReport): string {
  const rows: CsvCell[][] = [];
  const add = (
    metric: string,
    key: string,
    value: CsvCell,
    label: string | null = null,
    group: string | null = null,
  ) => rows.push([metric, key, label, group, value]);

  add('range', 'from', report.range.from.toISOString());
  add('range', 'to', report.range.to.toISOString());
  add('range', 'timezone', report.range.timezone);
  add('range', 'generated_at', report.generatedAt.toISOString());

  add('tickets', 'total', report.tickets.total);
  for (const entry of report.tickets.byChannel) add('tickets_by_channel', entry.channel, entry.count);
  for (const entry of report.tickets.byService)
    add('tickets_by_service', entry.service, entry.count, entry.name);
  for (const entry of report.tickets.bySource) {
    add(
      'tickets_by_kelurahan',
      entry.code,
      entry.count,
      entry.kelurahan ?? UNKNOWN_SOURCE_LABEL,
      entry.kecamatan,
    );
  }

  add('sla', 'met', report.sla.met);
  add('sla', 'breached', report.sla.breached);
  add('sla', 'open_within', report.sla.openWithin);
  add('sla', 'open_breached', report.sla.openBreached);
  add('sla', 'compliance_rate', report.sla.complianceRate);

  add('first_response_seconds', 'answered', report.firstResponse.answered);
  add('first_response_seconds', 'median', report.firstResponse.medianSeconds);
  add('first_response_seconds', 'p90', report.firstResponse.p90Seconds);

  add('complaints', 'opened', report.complaints.opened);
  add('complaints', 'resolved', report.complaints.resolved);
  add('complaints', 'rejected', report.complaints.rejected);
  add('complaints', 'overdue', report.complaints.overdue);

  for (const entry of report.busiest.byHour) {
    const hour = String(entry.hour).padStart(2, '0');
    add('tickets_by_hour', hour, entry.count, `${hour}.00`);
  }
  for (const entry of report.busiest.byWeekday)
    add('tickets_by_weekday', String(entry.weekday), entry.count, entry.name);

  return toCsv(REPORT_CSV_HEADER, rows);
}
