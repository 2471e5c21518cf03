import {
  addDays,
  assertTimeZone,
  instantAtWallClock,
  isLocalDate,
  isoWeekdayOf,
  type LocalDate,
  wallClockAt,
} from './zoned-time.ts';

/** The part of the office policy the calendar reads; an `OfficePolicy` can be passed as it is. */
export type CalendarRules = {
  /** IANA name, e.g. Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT). */
  timezone: string;
  serviceHours: {
    /** ISO weekdays: 1 = Monday … 7 = Sunday. */
    days: readonly number[];
    /** Local "HH:MM". */
    open: string;
    /** Local "HH:MM", or "24:00" for the end of the day. */
    close: string;
  };
  /** Local dates "YYYY-MM-DD" on which the office is closed although it is a service day. */
  holidays: readonly string[];
};

/** One stretch of service on one local date: open from `opensAt` (inclusive) to `closesAt` (exclusive). */
export type ServiceWindow = { date: LocalDate; opensAt: Date; closesAt: Date };

/**
 * How far ahead a search for the next working day looks. A holiday list holds at most 366 dates, so
 * with at least one service day a week a working day always falls within this many days; the cap only
 * stops a search through rules that can never open.
 */
export const MAX_SEARCH_DAYS = 400;

const CLOCK_TIME = /^(\d{2}):(\d{2})$/;

function minuteOfDay(time: string): number {
  const match = CLOCK_TIME.exec(time);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  const minutes = hour * 60 + minute;
  if (!match || hour > 24 || minute > 59 || minutes > 24 * 60) {
    throw new RangeError(`not a time as HH:MM (00:00 to 24:00): ${time}`);
  }
  return minutes;
}

/**
 * Why a set of rules would leave the office never open, for the settings API to reject them. The
 * calendar itself accepts such rules (it must not crash on a stored policy) and simply never opens.
 */
export function calendarRuleProblems(rules: CalendarRules): string[] {
  const problems: string[] = [];
  if (rules.serviceHours.days.length === 0) problems.push('serviceHours.days lists no service day');
  try {
    if (minuteOfDay(rules.serviceHours.open) >= minuteOfDay(rules.serviceHours.close)) {
      problems.push('serviceHours.open must be earlier than serviceHours.close');
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  return problems;
}

/**
 * The office's service days and hours in its own time zone.
 *
 * Rules decided here:
 * - Each working day has one window, `open` (inclusive) to `close` (exclusive): at exactly 12:00 an
 *   office that closes at 12:00 is closed. "24:00" closes at the next local midnight.
 * - `open` equal to or later than `close` means no service hours at all (windows do not run over
 *   midnight): `isOpen` is always false and `nextOpening` null. `calendarRuleProblems` reports it.
 * - A working day is a service day (`serviceHours.days`) that is not in `holidays`.
 * - Local times are turned into instants with the zone's real offset on that date; a time skipped by a
 *   daylight-saving jump moves forward by the jump (see `instantAtWallClock`).
 */
export class BusinessCalendar {
  readonly timezone: string;
  private readonly serviceDays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly openMinute: number;
  private readonly closeMinute: number;

  /** Throws a RangeError for an unknown zone, a malformed time, weekday or holiday date. */
  constructor(rules: CalendarRules) {
    assertTimeZone(rules.timezone);
    for (const day of rules.serviceHours.days) {
      if (!Number.isInteger(day) || day < 1 || day > 7) {
        throw new RangeError(`not an ISO weekday (1 = Monday … 7 = Sunday): ${day}`);
      }
    }
    for (const holiday of rules.holidays) {
      if (!isLocalDate(holiday)) throw new RangeError(`not a holiday date as YYYY-MM-DD: ${holiday}`);
    }
    this.timezone = rules.timezone;
    this.serviceDays = new Set(rules.serviceHours.days);
    this.holidays = new Set(rules.holidays);
    this.openMinute = minuteOfDay(rules.serviceHours.open);
    this.closeMinute = minuteOfDay(rules.serviceHours.close);
  }

  /** The office's local date at an instant, "YYYY-MM-DD". */
  localDate(at: Date): LocalDate {
    return wallClockAt(at, this.timezone).date;
  }

  /** A service day that is not a holiday. Says nothing about the hours. */
  isWorkingDay(date: LocalDate): boolean {
    return this.serviceDays.has(isoWeekdayOf(date)) && !this.holidays.has(date);
  }

  /** The service window of a local date, or null on a day without service. */
  windowOn(date: LocalDate): ServiceWindow | null {
    if (!this.isWorkingDay(date)) return null;
    const opensAt = this.instantAt(date, this.openMinute);
    const closesAt = this.instantAt(date, this.closeMinute);
    // Also empty when a daylight-saving jump swallows the whole window (open 02:00, close 03:00).
    if (opensAt.getTime() >= closesAt.getTime()) return null;
    return { date, opensAt, closesAt };
  }

  /** Open for service: inside the window of a working day, opening instant included, closing excluded. */
  isOpen(at: Date): boolean {
    return this.windowAt(at) !== null;
  }

  /** The window `at` falls in, or null when the office is closed at `at`. */
  windowAt(at: Date): ServiceWindow | null {
    const window = this.windowOn(this.localDate(at));
    return window && contains(window, at) ? window : null;
  }

  /**
   * The window `after` falls in, or else the first window that opens after it; null when the rules
   * never open within MAX_SEARCH_DAYS.
   */
  nextWindow(after: Date): ServiceWindow | null {
    // Windows never cross local midnight, so nothing earlier than today's window can contain `after`.
    let date = this.localDate(after);
    for (let searched = 0; searched <= MAX_SEARCH_DAYS; searched++, date = addDays(date, 1)) {
      const window = this.windowOn(date);
      if (window && after.getTime() < window.closesAt.getTime()) return window;
    }
    return null;
  }

  /**
   * When service is (or will next be) available: `after` itself when the office is open at `after`,
   * otherwise the opening instant of the next window. Null when the rules never open.
   *
   * This is the SLA clock start for `clockStarts: "next_opening"`. While closed, the value is the
   * same for every instant of one closed period, so it also identifies that period (one out-of-hours
   * auto-reply per ticket per closed period).
   */
  nextOpening(after: Date): Date | null {
    const window = this.nextWindow(after);
    if (!window) return null;
    return contains(window, after) ? after : window.opensAt;
  }

  /**
   * "N working days after `from`": the closing instant of the Nth working day after the day `from`
   * counts as received.
   *
   * - The received day is the local date of `from` when that is a working day and `from` is before
   *   its closing time (before opening counts as that day too). A message at or after closing, or on
   *   a weekend or holiday, counts as received on the next working day.
   * - The deadline is the closing time of the Nth working day after the received day; `days = 0`
   *   gives the received day's own closing time.
   *
   * Example, Mon–Fri 08:00–12:00 WIB: received Monday 10:00 → 3 working days → Thursday 12:00;
   * received Monday 13:00 or Saturday → counts from Tuesday / Monday → Friday / Thursday 12:00.
   * Null when no working day exists within MAX_SEARCH_DAYS.
   */
  addWorkingDays(from: Date, days: number): Date | null {
    if (!Number.isInteger(days) || days < 0) {
      throw new RangeError(`working days must be a whole number, 0 or more: ${days}`);
    }
    const fromDate = this.localDate(from);
    const receivedToday =
      this.isWorkingDay(fromDate) && from.getTime() < this.instantAt(fromDate, this.closeMinute).getTime();
    let date = receivedToday ? fromDate : this.nextWorkingDay(fromDate);
    for (let counted = 0; date !== null && counted < days; counted++) {
      date = this.nextWorkingDay(date);
    }
    return date === null ? null : this.instantAt(date, this.closeMinute);
  }

  /** The first working day strictly after `date`, or null within MAX_SEARCH_DAYS. */
  nextWorkingDay(date: LocalDate): LocalDate | null {
    let candidate = date;
    for (let searched = 0; searched < MAX_SEARCH_DAYS; searched++) {
      candidate = addDays(candidate, 1);
      if (this.isWorkingDay(candidate)) return candidate;
    }
    return null;
  }

  private instantAt(date: LocalDate, minute: number): Date {
    return instantAtWallClock(date, minute, this.timezone);
  }
}

function contains(window: ServiceWindow, at: Date): boolean {
  return window.opensAt.getTime() <= at.getTime() && at.getTime() < window.closesAt.getTime();
}
