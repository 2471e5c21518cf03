import {
  addDays,
  instantAtWallClock,
  isLocalDate,
  type LocalDate,
  wallClockAt,
} from '../calendar/zoned-time.ts';

export const DEFAULT_REPORT_DAYS = 30;
/** A year, leap or not. Longer ranges are refused: they would be a data export, not a report. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 86_400_000;
// A zone that changes its clocks makes a year of local days an hour longer; that must still fit.
const MAX_RANGE_MS = MAX_REPORT_DAYS * DAY_MS + 3_600_000;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export type ReportRange = { from: Date; to: Date };
export type RangeIssue = { path: 'from' | 'to'; message: string };

/**
 * Reads `from` and `to` as a supervisor writes them: a date (`2026-03-01`) is that day on the
 * office's clocks, and `to` includes its whole day; a date-time must carry its offset (`Z` or
 * `+07:00`), because a bare time is ambiguous. Without `to` the report runs to `now`; without `from`
 * it covers the 30 days before `to`. The result is the half-open interval [from, to).
 */
export function resolveReportRange(
  query: { from?: string; to?: string },
  timezone: string,
  now: Date,
): { ok: true; range: ReportRange } | { ok: false; issues: RangeIssue[] } {
  const issues: RangeIssue[] = [];
  const to = query.to === undefined ? now : parseBound(query.to, 'to', timezone, issues);
  const from =
    query.from === undefined
      ? to && new Date(to.getTime() - DEFAULT_REPORT_DAYS * DAY_MS)
      : parseBound(query.from, 'from', timezone, issues);
  if (!from || !to) return { ok: false, issues };
  if (from.getTime() >= to.getTime()) {
    return { ok: false, issues: [{ path: 'from', message: 'from must be before to' }] };
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) {
    return {
      ok: false,
      issues: [
        { path: 'to', message: `a report covers at most ${MAX_REPORT_DAYS} days; ask for a shorter range` },
      ],
    };
  }
  return { ok: true, range: { from, to } };
}

function parseBound(value: string, path: 'from' | 'to', timezone: string, issues: RangeIssue[]): Date | null {
  if (isLocalDate(value)) {
    // `to` names the last day included, so the range ends at the next day's midnight.
    return instantAtWallClock(path === 'to' ? addDays(value, 1) : value, 0, timezone);
  }
  const parsed = DATE_TIME.test(value) ? new Date(value) : null;
  if (parsed && !Number.isNaN(parsed.getTime())) return parsed;
  issues.push({
    path,
    message:
      'a date (YYYY-MM-DD, in the office time zone) or a date-time with its offset (2026-03-01T08:00:00+07:00)',
  });
  return null;
}

/** The first and last local days a range touches, for names people read (a CSV file's). */
export function reportDays(range: ReportRange, timezone: string): { first: LocalDate; last: LocalDate } {
  return {
    first: wallClockAt(range.from, timezone).date,
    last: wallClockAt(new Date(range.to.getTime() - 1), timezone).date,
  };
}
