import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_POLICY } from '../policy/office-policy.ts';
import type { ReportFigures } from './ports.ts';
import { reportDays, resolveReportRange } from './report-range.ts';
import { buildSummaryReport } from './summary-report.ts';

const now = new Date('2026-03-15T05:00:00Z');

describe('resolveReportRange', () => {
  const resolve = (query: { from?: string; to?: string }, timezone = 'Asia/Jakarta') =>
    resolveReportRange(query, timezone, now);

  it('defaults to the 30 days before now', () => {
    expect(resolve({})).toEqual({
      ok: true,
      range: { from: new Date('2026-02-13T05:00:00Z'), to: now },
    });
  });

  it("reads dates on the office's clocks, with the whole of the `to` day", () => {
    expect(resolve({ from: '2026-03-01', to: '2026-03-31' })).toEqual({
      ok: true,
      range: { from: new Date('2026-02-28T17:00:00Z'), to: new Date('2026-03-31T17:00:00Z') },
    });
    expect(resolve({ from: '2026-03-01', to: '2026-03-01' }, 'Europe/Amsterdam')).toEqual({
      ok: true,
      range: { from: new Date('2026-02-28T23:00:00Z'), to: new Date('2026-03-01T23:00:00Z') },
    });
  });

  it('takes date-times with an offset as they are, and 30 days before `to` without `from`', () => {
    expect(resolve({ to: '2026-03-10T08:00:00+07:00' })).toEqual({
      ok: true,
      range: { from: new Date('2026-02-08T01:00:00Z'), to: new Date('2026-03-10T01:00:00Z') },
    });
    expect(resolve({ from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:01.5Z' })).toMatchObject({
      ok: true,
    });
  });

  it('accepts a whole leap year and refuses anything longer', () => {
    expect(resolve({ from: '2024-01-01', to: '2024-12-31' })).toMatchObject({ ok: true });
    expect(resolve({ from: '2024-01-01', to: '2025-01-01' })).toEqual({
      ok: false,
      issues: [{ path: 'to', message: expect.stringContaining('at most 366 days') }],
    });
  });

  it('refuses an empty or reversed range, and values that are not dates', () => {
    expect(resolve({ from: '2026-03-10', to: '2026-03-09' })).toMatchObject({
      ok: false,
      issues: [{ path: 'from', message: 'from must be before to' }],
    });
    const bad = resolve({ from: '2026-02-30', to: '2026-03-01T08:00:00' });
    expect(bad).toMatchObject({ ok: false });
    expect(bad.ok ? [] : bad.issues.map((issue) => issue.path)).toEqual(['to', 'from']);
    expect(resolve({ from: 'yesterday' })).toMatchObject({ ok: false, issues: [{ path: 'from' }] });
  });
});

describe('reportDays', () => {
  it('names the first and last local days a range covers', () => {
    const range = { from: new Date('2026-02-28T17:00:00Z'), to: new Date('2026-03-31T17:00:00Z') };
    expect(reportDays(range, 'Asia/Jakarta')).toEqual({ first: '2026-03-01', last: '2026-03-31' });
  });
});

describe('buildSummaryReport', () => {
  const figures: ReportFigures = {
    ticketsByChannel: [
      { key: 'whatsapp', count: 3 },
      { key: 'telegram', count: 2 },
    ],
    ticketsByService: [
      { key: 'KK', count: 4 },
      { key: 'OLD_CODE', count: 1 },
    ],
    ticketsBySource: [
      { key: 'beji--kukusan', count: 2 },
      { key: null, count: 2 },
      { key: 'KEL-OLD', count: 1 },
    ],
    sla: { met: 2, breached: 1, openWithin: 1, openBreached: 1 },
    firstResponse: { answered: 3, medianSeconds: 3600.4, p90Seconds: 7199.6 },
    complaints: { opened: 1, resolved: 0, rejected: 0, overdue: 1 },
    ticketsByLocalTime: [
      { weekday: 1, hour: 9, count: 3 },
      { weekday: 7, hour: 9, count: 1 },
      { weekday: 7, hour: 23, count: 1 },
    ],
  };
  const report = buildSummaryReport(figures, {
    window: { from: new Date('2026-03-01T00:00:00Z'), to: now, now, timezone: 'Asia/Jakarta' },
    policy: DEFAULT_OFFICE_POLICY,
  });

  it('lists every channel and service with zeros, and keeps counts under codes it does not know', () => {
    expect(report.tickets.total).toBe(5);
    expect(report.tickets.byChannel.map((entry) => [entry.channel, entry.count])).toEqual([
      ['telegram', 2],
      ['whatsapp', 3],
      ['instagram', 0],
      ['whatsapp-cloud', 0],
      ['instagram-graph', 0],
    ]);
    expect(report.tickets.byService).toHaveLength(11);
    expect(report.tickets.byService[2]).toEqual({ service: 'KK', name: 'Kartu Keluarga (KK)', count: 4 });
    expect(report.tickets.byService.at(-1)).toEqual({ service: 'OLD_CODE', name: 'OLD_CODE', count: 1 });
  });

  it('names every kelurahan and puts tickets without a known banner under unknown', () => {
    expect(report.tickets.bySource).toHaveLength(64);
    expect(report.tickets.bySource.find((entry) => entry.code === 'beji--kukusan')).toEqual({
      code: 'beji--kukusan',
      kelurahan: 'Kukusan',
      kecamatan: 'Beji',
      count: 2,
    });
    expect(report.tickets.bySource.at(-1)).toEqual({
      code: 'unknown',
      kelurahan: null,
      kecamatan: null,
      count: 3,
    });
  });

  it('gives the compliance rate over the tickets whose outcome is known', () => {
    expect(report.sla).toEqual({ met: 2, breached: 1, openWithin: 1, openBreached: 1, complianceRate: 0.5 });
    expect(report.firstResponse).toEqual({
      measuredFrom: 'ticket_created',
      answered: 3,
      medianSeconds: 3600,
      p90Seconds: 7200,
    });
  });

  it('adds up the busiest hours and weekdays, every hour and day listed', () => {
    expect(report.busiest.byHour).toHaveLength(24);
    expect(report.busiest.byHour[9]).toEqual({ hour: 9, count: 4 });
    expect(report.busiest.byHour[23]).toEqual({ hour: 23, count: 1 });
    expect(report.busiest.byWeekday[0]).toEqual({ weekday: 1, name: 'Senin', count: 3 });
    expect(report.busiest.byWeekday[6]).toEqual({ weekday: 7, name: 'Minggu', count: 2 });
  });

  it('has no rate when nothing is decided yet', () => {
    const empty = buildSummaryReport(
      { ...figures, sla: { met: 0, breached: 0, openWithin: 4, openBreached: 0 } },
      { window: { from: now, to: now, now, timezone: 'Asia/Jakarta' }, policy: DEFAULT_OFFICE_POLICY },
    );
    expect(empty.sla.complianceRate).toBeNull();
  });
});
