import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_POLICY } from '../policy/office-policy.ts';
import { BusinessCalendar, type CalendarRules, calendarRuleProblems } from './business-calendar.ts';

// Expected instants are written with their offset spelled out, as an oracle independent of the code
// under test. 2026-03-02 is a Monday; 2026-08-17 (Hari Kemerdekaan) a Monday; 2027-01-01 a Friday.
const at = (iso: string) => new Date(iso);

const weekdaysMorning = (timezone: string, holidays: string[] = []): CalendarRules => ({
  timezone,
  serviceHours: { days: [1, 2, 3, 4, 5], open: '08:00', close: '12:00' },
  holidays,
});

const jakarta = new BusinessCalendar(weekdaysMorning('Asia/Jakarta', ['2026-08-17', '2027-01-01']));

describe('isOpen (Mon–Fri 08:00–12:00 WIB)', () => {
  it.each([
    ['Monday 10:00', '2026-03-02T10:00:00+07:00', true],
    ['Monday 07:59:59', '2026-03-02T07:59:59+07:00', false],
    ['Monday exactly 08:00', '2026-03-02T08:00:00+07:00', true],
    ['Monday 11:59:59.999', '2026-03-02T11:59:59.999+07:00', true],
    ['Monday exactly 12:00', '2026-03-02T12:00:00+07:00', false],
    ['Friday 11:00', '2026-03-06T11:00:00+07:00', true],
    ['Saturday 10:00', '2026-03-07T10:00:00+07:00', false],
    ['Sunday 10:00', '2026-03-08T10:00:00+07:00', false],
    ['holiday Monday 17 Aug 10:00', '2026-08-17T10:00:00+07:00', false],
    ['the day before a holiday, 10:00', '2026-08-14T10:00:00+07:00', true],
    ['Monday 10:00 WIB given in UTC (03:00Z)', '2026-03-02T03:00:00Z', true],
  ])('%s → %s', (_label, iso, open) => {
    expect(jakarta.isOpen(at(iso))).toBe(open);
  });
});

describe('nextOpening (Mon–Fri 08:00–12:00 WIB, holidays 17 Aug and 1 Jan)', () => {
  it.each([
    ['open now: the instant itself', '2026-03-02T10:00:00+07:00', '2026-03-02T10:00:00+07:00'],
    ['exactly at opening', '2026-03-02T08:00:00+07:00', '2026-03-02T08:00:00+07:00'],
    ['before opening the same day', '2026-03-02T06:30:00+07:00', '2026-03-02T08:00:00+07:00'],
    ['just after local midnight', '2026-03-02T00:00:00+07:00', '2026-03-02T08:00:00+07:00'],
    ['exactly at closing → tomorrow', '2026-03-02T12:00:00+07:00', '2026-03-03T08:00:00+07:00'],
    ['after closing → tomorrow', '2026-03-02T15:00:00+07:00', '2026-03-03T08:00:00+07:00'],
    ['late evening → tomorrow', '2026-03-02T23:59:00+07:00', '2026-03-03T08:00:00+07:00'],
    ['Friday after closing → Monday', '2026-03-06T12:30:00+07:00', '2026-03-09T08:00:00+07:00'],
    ['Saturday → Monday', '2026-03-07T09:00:00+07:00', '2026-03-09T08:00:00+07:00'],
    ['Sunday night → Monday', '2026-03-08T22:00:00+07:00', '2026-03-09T08:00:00+07:00'],
    ['Friday before a holiday Monday → Tuesday', '2026-08-14T13:00:00+07:00', '2026-08-18T08:00:00+07:00'],
    ['on the holiday itself → next day', '2026-08-17T09:00:00+07:00', '2026-08-18T08:00:00+07:00'],
    [
      '31 Dec after closing → 4 Jan (1 Jan holiday)',
      '2026-12-31T13:00:00+07:00',
      '2027-01-04T08:00:00+07:00',
    ],
    ['New Year’s Eve night in UTC already 2027 locally', '2026-12-31T18:00:00Z', '2027-01-04T08:00:00+07:00'],
  ])('%s', (_label, from, expected) => {
    expect(jakarta.nextOpening(at(from))).toEqual(at(expected));
  });

  it('gives the same opening for every instant of one closed period', () => {
    const closedPeriod = [
      '2026-03-06T12:00:00+07:00',
      '2026-03-07T03:00:00+07:00',
      '2026-03-09T07:59:59+07:00',
    ];
    const openings = closedPeriod.map((iso) => jakarta.nextOpening(at(iso))?.toISOString());
    expect(new Set(openings)).toEqual(new Set(['2026-03-09T01:00:00.000Z']));
  });

  it('returns the window with it', () => {
    expect(jakarta.nextWindow(at('2026-03-06T13:00:00+07:00'))).toEqual({
      date: '2026-03-09',
      opensAt: at('2026-03-09T08:00:00+07:00'),
      closesAt: at('2026-03-09T12:00:00+07:00'),
    });
    expect(jakarta.windowAt(at('2026-03-06T13:00:00+07:00'))).toBeNull();
  });
});

describe('other Indonesian zones keep the same local hours', () => {
  const wita = new BusinessCalendar(weekdaysMorning('Asia/Makassar'));
  const wit = new BusinessCalendar(weekdaysMorning('Asia/Jayapura'));

  it.each([
    [
      'WITA, Friday after closing → Monday 08:00 WITA',
      wita,
      '2026-03-06T12:30:00+08:00',
      '2026-03-09T08:00:00+08:00',
    ],
    ['WITA, before opening', wita, '2026-03-02T07:00:00+08:00', '2026-03-02T08:00:00+08:00'],
    [
      'WITA, 08:00 WIB is already 09:00 WITA: open',
      wita,
      '2026-03-02T08:00:00+07:00',
      '2026-03-02T08:00:00+07:00',
    ],
    [
      'WIT, Friday after closing → Monday 08:00 WIT',
      wit,
      '2026-03-06T12:30:00+09:00',
      '2026-03-09T08:00:00+09:00',
    ],
    ['WIT, 11:30 WIB is 13:30 WIT: closed', wit, '2026-03-02T11:30:00+07:00', '2026-03-03T08:00:00+09:00'],
  ])('%s', (_label, calendar, from, expected) => {
    expect(calendar.nextOpening(at(from))).toEqual(at(expected));
  });

  it.each([
    [wita, '2026-03-01T16:00:00Z', '2026-03-02'],
    [wita, '2026-03-01T15:59:59Z', '2026-03-01'],
    [wit, '2026-03-01T15:00:00Z', '2026-03-02'],
    [jakarta, '2026-03-01T17:00:00Z', '2026-03-02'],
    [jakarta, '2026-03-01T16:59:59Z', '2026-03-01'],
  ])('localDate in %s', (calendar, iso, date) => {
    expect(calendar.localDate(at(iso))).toBe(date);
  });
});

describe('a zone with daylight saving time (Europe/Amsterdam, clocks forward 29 Mar 2026, back 25 Oct)', () => {
  const amsterdam = new BusinessCalendar({
    timezone: 'Europe/Amsterdam',
    serviceHours: { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' },
    holidays: [],
  });
  const sundayNight = new BusinessCalendar({
    timezone: 'Europe/Amsterdam',
    serviceHours: { days: [7], open: '02:30', close: '04:00' },
    holidays: [],
  });

  it.each([
    [
      'Friday after closing (CET) → Monday 09:00 CEST',
      amsterdam,
      '2026-03-27T17:30:00+01:00',
      '2026-03-30T09:00:00+02:00',
    ],
    [
      'Monday before opening, summer time',
      amsterdam,
      '2026-03-30T08:00:00+02:00',
      '2026-03-30T09:00:00+02:00',
    ],
    [
      '07:30Z on Monday 30 Mar is 09:30 CEST: open',
      amsterdam,
      '2026-03-30T07:30:00Z',
      '2026-03-30T07:30:00Z',
    ],
    [
      'Friday after closing (CEST) → Monday 09:00 CET',
      amsterdam,
      '2026-10-23T18:00:00+02:00',
      '2026-10-26T09:00:00+01:00',
    ],
    [
      '02:30 never happens on 29 Mar → 03:30 CEST',
      sundayNight,
      '2026-03-28T12:00:00+01:00',
      '2026-03-29T03:30:00+02:00',
    ],
    [
      '02:30 happens twice on 25 Oct → the first (CEST)',
      sundayNight,
      '2026-10-24T12:00:00+02:00',
      '2026-10-25T02:30:00+02:00',
    ],
  ])('%s', (_label, calendar, from, expected) => {
    expect(calendar.nextOpening(at(from))).toEqual(at(expected));
  });

  it.each([
    ['03:15 CEST on the spring night: before the shifted opening', '2026-03-29T03:15:00+02:00', false],
    ['03:45 CEST on the spring night', '2026-03-29T03:45:00+02:00', true],
    ['second 03:30 (CET) on the autumn night: still open', '2026-10-25T03:30:00+01:00', true],
  ])('%s', (_label, iso, open) => {
    expect(sundayNight.isOpen(at(iso))).toBe(open);
  });

  it('a 00:00–24:00 day is 23 hours long when the clocks go forward', () => {
    const allDay = new BusinessCalendar({
      timezone: 'Europe/Amsterdam',
      serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' },
      holidays: [],
    });
    const window = allDay.windowOn('2026-03-29');
    expect(window?.opensAt).toEqual(at('2026-03-29T00:00:00+01:00'));
    expect(window?.closesAt).toEqual(at('2026-03-30T00:00:00+02:00'));
    expect((window?.closesAt.getTime() ?? 0) - (window?.opensAt.getTime() ?? 0)).toBe(23 * 3_600_000);
  });
});

describe('close "24:00" means the end of the day', () => {
  const evening = new BusinessCalendar({
    timezone: 'Asia/Jakarta',
    serviceHours: { days: [1, 2, 3, 4, 5], open: '18:00', close: '24:00' },
    holidays: [],
  });

  it.each([
    ['23:59:59 Friday', '2026-03-06T23:59:59+07:00', true],
    ['midnight into Saturday', '2026-03-07T00:00:00+07:00', false],
    ['17:59 Friday', '2026-03-06T17:59:00+07:00', false],
  ])('isOpen at %s → %s', (_label, iso, open) => {
    expect(evening.isOpen(at(iso))).toBe(open);
  });

  it('closes at the next midnight and reopens Monday evening', () => {
    expect(evening.windowOn('2026-03-06')?.closesAt).toEqual(at('2026-03-07T00:00:00+07:00'));
    expect(evening.nextOpening(at('2026-03-07T00:00:00+07:00'))).toEqual(at('2026-03-09T18:00:00+07:00'));
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-03-02', true],
    ['2026-03-06', true],
    ['2026-03-07', false],
    ['2026-03-08', false],
    ['2026-08-17', false],
    ['2026-08-14', true],
    ['2027-01-01', false],
    ['2026-12-31', true],
  ])('%s → %s', (date, working) => {
    expect(jakarta.isWorkingDay(date)).toBe(working);
  });
});

describe('addWorkingDays: the closing time of the Nth working day after the received day', () => {
  it.each([
    ['Mon 10:00 + 3 → Thu 12:00', '2026-03-02T10:00:00+07:00', 3, '2026-03-05T12:00:00+07:00'],
    [
      'Mon 07:00, before opening, counts as Monday',
      '2026-03-02T07:00:00+07:00',
      3,
      '2026-03-05T12:00:00+07:00',
    ],
    ['Mon exactly 12:00 counts from Tuesday', '2026-03-02T12:00:00+07:00', 3, '2026-03-06T12:00:00+07:00'],
    [
      'Mon 13:00, after closing, counts from Tuesday',
      '2026-03-02T13:00:00+07:00',
      3,
      '2026-03-06T12:00:00+07:00',
    ],
    ['Thu 10:00 + 3 crosses the weekend → Tue', '2026-03-05T10:00:00+07:00', 3, '2026-03-10T12:00:00+07:00'],
    ['Mon 10:00 + 5 → next Mon', '2026-03-02T10:00:00+07:00', 5, '2026-03-09T12:00:00+07:00'],
    ['Saturday counts as Monday', '2026-03-07T10:00:00+07:00', 3, '2026-03-12T12:00:00+07:00'],
    ['Friday night counts as Monday', '2026-03-06T21:00:00+07:00', 5, '2026-03-16T12:00:00+07:00'],
    ['Fri 10:00 + 3 skips the holiday Monday', '2026-08-14T10:00:00+07:00', 3, '2026-08-20T12:00:00+07:00'],
    ['on the holiday counts from Tuesday', '2026-08-17T10:00:00+07:00', 1, '2026-08-19T12:00:00+07:00'],
    ['31 Dec after closing + 3 → Thu 7 Jan', '2026-12-31T13:00:00+07:00', 3, '2027-01-07T12:00:00+07:00'],
    ['0 days: the received day’s own closing', '2026-03-02T10:00:00+07:00', 0, '2026-03-02T12:00:00+07:00'],
    ['0 days from Saturday: Monday’s closing', '2026-03-07T10:00:00+07:00', 0, '2026-03-09T12:00:00+07:00'],
  ])('%s', (_label, from, days, expected) => {
    expect(jakarta.addWorkingDays(at(from), days)).toEqual(at(expected));
  });

  it('counts WIT working days on WIT clocks', () => {
    const wit = new BusinessCalendar(weekdaysMorning('Asia/Jayapura'));
    // 12:30 WIB on Monday is 14:30 WIT: after closing in Jayapura.
    expect(wit.addWorkingDays(at('2026-03-02T12:30:00+07:00'), 3)).toEqual(at('2026-03-06T12:00:00+09:00'));
  });

  it.each([-1, 1.5, Number.NaN])('rejects %s days', (days) => {
    expect(() => jakarta.addWorkingDays(at('2026-03-02T10:00:00+07:00'), days)).toThrow(RangeError);
  });
});

describe('rules that never open do not loop', () => {
  const noDays = new BusinessCalendar({
    ...weekdaysMorning('Asia/Jakarta'),
    serviceHours: { days: [], open: '08:00', close: '12:00' },
  });
  const openEqualsClose = new BusinessCalendar({
    ...weekdaysMorning('Asia/Jakarta'),
    serviceHours: { days: [1, 2, 3, 4, 5], open: '08:00', close: '08:00' },
  });
  const openAfterClose = new BusinessCalendar({
    ...weekdaysMorning('Asia/Jakarta'),
    serviceHours: { days: [1, 2, 3, 4, 5], open: '20:00', close: '08:00' },
  });
  const from = at('2026-03-02T10:00:00+07:00');

  it.each([
    ['no service days', noDays],
    ['open equal to close', openEqualsClose],
    ['open after close', openAfterClose],
  ])('%s: never open, nextOpening null', (_label, calendar) => {
    expect(calendar.isOpen(from)).toBe(false);
    expect(calendar.nextOpening(from)).toBeNull();
    expect(calendar.nextWindow(from)).toBeNull();
  });

  it('no service days: no working day to count', () => {
    expect(noDays.addWorkingDays(from, 3)).toBeNull();
    expect(noDays.nextWorkingDay('2026-03-02')).toBeNull();
  });

  it('a service day every week of a year of holidays still finds one', () => {
    const mondays = Array.from({ length: 52 }, (_, week) =>
      new Date(Date.UTC(2026, 2, 2 + 7 * week)).toISOString().slice(0, 10),
    );
    const onlyMondays = new BusinessCalendar({
      ...weekdaysMorning('Asia/Jakarta', mondays),
      serviceHours: { days: [1], open: '08:00', close: '12:00' },
    });
    expect(onlyMondays.nextOpening(from)).toEqual(at('2027-03-01T08:00:00+07:00'));
  });
});

describe('rules', () => {
  it('takes the office policy as it is', () => {
    const calendar = new BusinessCalendar(DEFAULT_OFFICE_POLICY);
    expect(calendar.timezone).toBe('Asia/Jakarta');
    expect(calendar.nextOpening(at('2026-03-06T12:30:00+07:00'))).toEqual(at('2026-03-09T08:00:00+07:00'));
  });

  it.each([
    ['an unknown zone', { timezone: 'Asia/Atlantis' }],
    ['a malformed time', { serviceHours: { days: [1], open: '8:00', close: '12:00' } }],
    ['a time past midnight', { serviceHours: { days: [1], open: '08:00', close: '24:30' } }],
    ['weekday 0', { serviceHours: { days: [0], open: '08:00', close: '12:00' } }],
    ['a holiday that is no date', { holidays: ['2026-02-30'] }],
  ])('rejects %s', (_label, change) => {
    expect(() => new BusinessCalendar({ ...weekdaysMorning('Asia/Jakarta'), ...change })).toThrow(RangeError);
  });

  it.each([
    ['the defaults', DEFAULT_OFFICE_POLICY, []],
    [
      'no days',
      { ...DEFAULT_OFFICE_POLICY, serviceHours: { days: [], open: '08:00', close: '12:00' } },
      ['serviceHours.days lists no service day'],
    ],
    [
      'open = close',
      { ...DEFAULT_OFFICE_POLICY, serviceHours: { days: [1], open: '12:00', close: '12:00' } },
      ['serviceHours.open must be earlier than serviceHours.close'],
    ],
    [
      'close 24:00',
      { ...DEFAULT_OFFICE_POLICY, serviceHours: { days: [1], open: '12:00', close: '24:00' } },
      [],
    ],
  ])('calendarRuleProblems: %s', (_label, rules, problems) => {
    expect(calendarRuleProblems(rules)).toEqual(problems);
  });
});
