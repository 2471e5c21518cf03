// The opening time as a citizen reads it in Indonesian: "Senin, 08.00 WIB", or with the date when it is
// further away than a weekend: "Selasa, 5 Januari 2027, 08.00 WIB".
import { TEXT_PARTS } from '../templates/citizen-texts.ts';
import { formatIndonesianDate } from '../templates/text-formatting.ts';
import { daysBetween, wallClockAt } from './zoned-time.ts';

// Written out rather than taken from ICU: these are the legal names of Indonesia's three zones, and
// citizens must see them even where a runtime ships smaller locale data that prints "GMT+7".
const INDONESIAN_ZONES: Readonly<Record<string, string>> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};

/**
 * A weekday name alone is clear up to three days ahead: today, tomorrow, and Monday seen from Friday
 * evening. Further than that (a long weekend, a holiday week, the year end break) the citizen also
 * gets the date, so "Selasa" after a Monday holiday is not read as a typo for "Senin".
 */
export const WEEKDAY_ONLY_WITHIN_DAYS = 3;

export type DescribeOpeningOptions = {
  /** The office's IANA time zone; the time and date are shown on its clocks. */
  timezone: string;
  /** The moment the text is written, to decide whether the date is needed. */
  now: Date;
};

/** The zone's abbreviation: WIB, WITA or WIT for Indonesia, otherwise ICU's short name ("GMT+1"). */
export function zoneAbbreviation(timezone: string, at: Date): string {
  const known = INDONESIAN_ZONES[timezone];
  if (known) return known;
  const part = new Intl.DateTimeFormat('id-ID', { timeZone: timezone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timezone;
}

/**
 * Indonesian text of an opening instant (from `BusinessCalendar.nextOpening`):
 * - "Senin, 08.00 WIB" when its local date is 0 to WEEKDAY_ONLY_WITHIN_DAYS days after `now`'s;
 * - "Selasa, 5 Januari 2027, 08.00 WIB" otherwise, including an opening earlier than `now`.
 * The time uses the Indonesian dot (08.00), on a 24-hour clock.
 */
export function describeOpening(opening: Date, { timezone, now }: DescribeOpeningOptions): string {
  const clock = wallClockAt(opening, timezone);
  const weekday = TEXT_PARTS.weekdays[clock.isoWeekday - 1];
  const time = `${pad(clock.hour)}.${pad(clock.minute)} ${zoneAbbreviation(timezone, opening)}`;
  const daysAhead = daysBetween(wallClockAt(now, timezone).date, clock.date);
  if (daysAhead >= 0 && daysAhead <= WEEKDAY_ONLY_WITHIN_DAYS) return `${weekday}, ${time}`;
  return `${formatIndonesianDate(clock.date)}, ${time}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
