import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  instantAtWallClock,
  isLocalDate,
  isoWeekdayOf,
  wallClockAt,
} from './zoned-time.ts';

describe('instantAtWallClock', () => {
  it.each([
    ['Jakarta 08:00', '2026-03-02', 8 * 60, 'Asia/Jakarta', '2026-03-02T01:00:00Z'],
    ['Jakarta 24:00 is the next midnight', '2026-03-02', 24 * 60, 'Asia/Jakarta', '2026-03-02T17:00:00Z'],
    ['Makassar 08:00', '2026-03-02', 8 * 60, 'Asia/Makassar', '2026-03-02T00:00:00Z'],
    ['Jayapura 08:00 is the previous UTC day', '2026-03-02', 8 * 60, 'Asia/Jayapura', '2026-03-01T23:00:00Z'],
    ['Amsterdam winter 09:00', '2026-01-15', 9 * 60, 'Europe/Amsterdam', '2026-01-15T08:00:00Z'],
    ['Amsterdam summer 09:00', '2026-07-15', 9 * 60, 'Europe/Amsterdam', '2026-07-15T07:00:00Z'],
    ['Amsterdam 01:59 before the spring jump', '2026-03-29', 119, 'Europe/Amsterdam', '2026-03-29T00:59:00Z'],
    ['Amsterdam 02:00, skipped → 03:00 CEST', '2026-03-29', 120, 'Europe/Amsterdam', '2026-03-29T01:00:00Z'],
    ['Amsterdam 03:00 after the spring jump', '2026-03-29', 180, 'Europe/Amsterdam', '2026-03-29T01:00:00Z'],
    [
      'Amsterdam 02:00 on the autumn night → first',
      '2026-10-25',
      120,
      'Europe/Amsterdam',
      '2026-10-25T00:00:00Z',
    ],
    ['Amsterdam 03:00 on the autumn night', '2026-10-25', 180, 'Europe/Amsterdam', '2026-10-25T02:00:00Z'],
    ['New York 02:30, skipped → 03:30 EDT', '2026-03-08', 150, 'America/New_York', '2026-03-08T07:30:00Z'],
  ])('%s', (_label, date, minute, zone, expected) => {
    expect(instantAtWallClock(date, minute, zone)).toEqual(new Date(expected));
  });

  it('round-trips through wallClockAt every hour of a DST year in Amsterdam', () => {
    for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 3_600_000) {
      const clock = wallClockAt(new Date(ms), 'Europe/Amsterdam');
      const back = instantAtWallClock(clock.date, clock.hour * 60 + clock.minute, 'Europe/Amsterdam');
      // The repeated autumn hour resolves to its first occurrence, an hour earlier.
      const repeated = ms >= Date.UTC(2026, 9, 25, 1) && ms < Date.UTC(2026, 9, 25, 2);
      expect(back.getTime()).toBe(repeated ? ms - 3_600_000 : ms);
    }
  });
});

describe('local dates', () => {
  it.each([
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
  ])('addDays(%s, %s) → %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it('counts days and weekdays', () => {
    expect(daysBetween('2026-12-31', '2027-01-04')).toBe(4);
    expect(isoWeekdayOf('2026-03-02')).toBe(1);
    expect(isoWeekdayOf('2026-03-08')).toBe(7);
  });

  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-3-1', false],
  ])('isLocalDate(%s) → %s', (date, valid) => {
    expect(isLocalDate(date)).toBe(valid);
  });

  it('wallClockAt gives midnight as 00, not 24', () => {
    expect(wallClockAt(new Date('2026-03-01T17:00:00Z'), 'Asia/Jakarta')).toEqual({
      date: '2026-03-02',
      isoWeekday: 1,
      hour: 0,
      minute: 0,
      second: 0,
    });
  });
});

describe('wallClockAt with the cached offsets', () => {
  const zones = [
    'Asia/Jakarta',
    'Europe/Amsterdam',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
  ];
  const formats = new Map<string, Intl.DateTimeFormat>();
  const intl = (at: Date, timeZone: string) => {
    const format =
      formats.get(timeZone) ??
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    formats.set(timeZone, format);
    const parts = format.formatToParts(at);
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
    return {
      date: `${get('year')}-${String(get('month')).padStart(2, '0')}-${String(get('day')).padStart(2, '0')}`,
      hour: get('hour'),
      minute: get('minute'),
      second: get('second'),
    };
  };

  it('agrees with Intl around every transition of 2026 and at random instants', () => {
    // Twice an hour, at odd seconds, through a year: right after each DST change (Lord Howe's is half
    // an hour) some sample falls in the changed offset.
    const start = Date.UTC(2026, 0, 1);
    for (const zone of zones) {
      for (let at = start; at < start + 366 * 86_400_000; at += 1_800_000 + 1_234) {
        const { date, hour, minute, second } = wallClockAt(new Date(at), zone);
        expect({ date, hour, minute, second }).toEqual(intl(new Date(at), zone));
      }
    }
  });
});
