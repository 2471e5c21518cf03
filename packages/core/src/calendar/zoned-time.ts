// Wall-clock time in an IANA time zone, through the platform's Intl (full ICU in Node 20). The zone's
// offset is always read from the tz database for the instant in question, never assumed, so offices
// outside Asia/Jakarta and zones with daylight saving time come out right.

/** A calendar date in some zone, as `YYYY-MM-DD`. */
export type LocalDate = string;

export type WallClock = {
  date: LocalDate;
  /** 1 = Monday … 7 = Sunday (ISO 8601), the numbering of `serviceHours.days`. */
  isoWeekday: number;
  hour: number;
  minute: number;
  second: number;
};

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Building an Intl.DateTimeFormat costs far more than using one; the calendar asks for the same few
// zones over and over.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23, because the default h24 cycle of some locales prints midnight as "24".
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws a RangeError for a name the tz database does not know. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

type Fields = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The zone's fields at an instant, read from Intl: exact, and slow (tens of µs a call). */
function intlFieldsAt(epochMs: number, timeZone: string): Fields {
  const fields: Fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type in fields) fields[part.type as keyof Fields] = Number(part.value);
  }
  return fields;
}

function intlOffsetAt(epochMs: number, timeZone: string): number {
  // Intl prints whole seconds; compare against the instant truncated to the same second.
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  const f = intlFieldsAt(wholeSecond, timeZone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - wholeSecond;
}

// The calendar asks for the offset thousands of times per second under load (every message's SLA
// deadline walks the service hours). A zone's offset holds for months, so it is kept per quarter hour:
// a quarter whose two ends have the same offset has it throughout (no zone changes its offset twice
// within 15 minutes); a quarter with a change in it is always asked of Intl.
const QUARTER_MS = 15 * MINUTE_MS;
const MAX_CACHED_QUARTERS = 50_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at an instant, in ms (Asia/Jakarta: +7 h). */
function offsetAt(epochMs: number, timeZone: string): number {
  const quarter = Math.floor(epochMs / QUARTER_MS);
  const key = `${timeZone}|${quarter}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const start = intlOffsetAt(quarter * QUARTER_MS, timeZone);
  const end = intlOffsetAt((quarter + 1) * QUARTER_MS - 1000, timeZone);
  if (start !== end) return intlOffsetAt(epochMs, timeZone);
  if (offsets.size >= MAX_CACHED_QUARTERS) offsets.clear();
  offsets.set(key, start);
  return start;
}

function fieldsAt(epochMs: number, timeZone: string): Fields {
  const local = new Date(Math.floor(epochMs / 1000) * 1000 + offsetAt(epochMs, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

function formatLocalDate(year: number, month: number, day: number): LocalDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Days since 1970-01-01 of a local date; throws on anything that is not a real `YYYY-MM-DD` date. */
function epochDay(date: LocalDate): number {
  const match = LOCAL_DATE.exec(date);
  if (!match) throw new RangeError(`not a date as YYYY-MM-DD: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over into March; a typo in a holiday list must not move silently.
  if (back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return ms / DAY_MS;
}

export function isLocalDate(value: string): boolean {
  try {
    epochDay(value);
    return true;
  } catch {
    return false;
  }
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date((epochDay(date) + days) * DAY_MS);
  return formatLocalDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

export function isoWeekdayOf(date: LocalDate): number {
  const sundayIsZero = new Date(epochDay(date) * DAY_MS).getUTCDay();
  return sundayIsZero === 0 ? 7 : sundayIsZero;
}

export function wallClockAt(at: Date, timeZone: string): WallClock {
  const { year, month, day, hour, minute, second } = fieldsAt(at.getTime(), timeZone);
  const date = formatLocalDate(year, month, day);
  return { date, isoWeekday: isoWeekdayOf(date), hour, minute, second };
}

/**
 * The instant at which the zone's clocks show `date` plus `minuteOfDay` minutes (1440 = the next
 * midnight). Resolved the way Temporal's `disambiguation: 'compatible'` does:
 * - a time that occurs twice (clocks turned back) gives the earlier instant;
 * - a time that never occurs (clocks turned forward) is moved forward by the length of the gap, so
 *   02:30 on the night Amsterdam jumps from 02:00 to 03:00 gives 03:30 summer time.
 */
export function instantAtWallClock(date: LocalDate, minuteOfDay: number, timeZone: string): Date {
  // The wall-clock reading taken as if it were UTC; the true instant is this minus the zone's offset.
  const wallAsUtc = epochDay(date) * DAY_MS + minuteOfDay * MINUTE_MS;
  // No zone changes its offset twice within two days, so the offsets a day either side are the only
  // candidates. Each candidate is re-checked: it is valid when the zone has that offset at that instant.
  const offsetBefore = offsetAt(wallAsUtc - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wallAsUtc + DAY_MS, timeZone);
  const valid = [wallAsUtc - offsetBefore, wallAsUtc - offsetAfter]
    .filter((instant) => offsetAt(instant, timeZone) === wallAsUtc - instant)
    .sort((a, b) => a - b);
  const earliest = valid[0];
  if (earliest !== undefined) return new Date(earliest);
  // In a gap: reading the wall time with the offset in force before the jump lands after the jump,
  // exactly the gap's length later on the new clock.
  return new Date(wallAsUtc - offsetBefore);
}
