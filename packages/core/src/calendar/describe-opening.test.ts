import { describe, expect, it } from 'vitest';
import { BusinessCalendar } from './business-calendar.ts';
import { describeOpening, zoneAbbreviation } from './describe-opening.ts';

const at = (iso: string) => new Date(iso);

describe('describeOpening in Indonesian', () => {
  it.each([
    [
      'same day, before opening',
      '2026-03-02T08:00:00+07:00',
      '2026-03-02T06:00:00+07:00',
      'Senin, 08.00 WIB',
    ],
    ['tomorrow', '2026-03-03T08:00:00+07:00', '2026-03-02T13:00:00+07:00', 'Selasa, 08.00 WIB'],
    ['Friday evening → Monday', '2026-03-09T08:00:00+07:00', '2026-03-06T13:00:00+07:00', 'Senin, 08.00 WIB'],
    [
      'Friday → Tuesday after a holiday Monday',
      '2026-08-18T08:00:00+07:00',
      '2026-08-14T13:00:00+07:00',
      'Selasa, 18 Agustus 2026, 08.00 WIB',
    ],
    [
      'year end → first working day of January',
      '2027-01-04T08:00:00+07:00',
      '2026-12-31T13:00:00+07:00',
      'Senin, 4 Januari 2027, 08.00 WIB',
    ],
    [
      'weeks away',
      '2027-01-05T08:00:00+07:00',
      '2026-12-15T13:00:00+07:00',
      'Selasa, 5 Januari 2027, 08.00 WIB',
    ],
    [
      'an opening already past gets its date',
      '2026-03-02T08:00:00+07:00',
      '2026-03-03T09:00:00+07:00',
      'Senin, 2 Maret 2026, 08.00 WIB',
    ],
    ['minutes are kept', '2026-03-04T07:30:00+07:00', '2026-03-03T13:00:00+07:00', 'Rabu, 07.30 WIB'],
    [
      'afternoon on a 24-hour clock',
      '2026-03-05T13:05:00+07:00',
      '2026-03-05T12:00:00+07:00',
      'Kamis, 13.05 WIB',
    ],
  ])('%s → %s', (_label, opening, now, text) => {
    expect(describeOpening(at(opening), { timezone: 'Asia/Jakarta', now: at(now) })).toBe(text);
  });

  it.each([
    ['Asia/Makassar', '2026-03-06T08:00:00+08:00', '2026-03-05T13:00:00+08:00', 'Jumat, 08.00 WITA'],
    ['Asia/Jayapura', '2026-03-07T08:00:00+09:00', '2026-03-06T13:00:00+09:00', 'Sabtu, 08.00 WIT'],
    ['Asia/Pontianak', '2026-03-08T08:00:00+07:00', '2026-03-06T13:00:00+07:00', 'Minggu, 08.00 WIB'],
    ['Europe/Amsterdam', '2026-03-30T09:00:00+02:00', '2026-03-27T18:00:00+01:00', 'Senin, 09.00 GMT+2'],
    ['Europe/Amsterdam', '2026-03-09T09:00:00+01:00', '2026-03-06T18:00:00+01:00', 'Senin, 09.00 GMT+1'],
  ])('%s: %s → %s', (timezone, opening, now, text) => {
    expect(describeOpening(at(opening), { timezone, now: at(now) })).toBe(text);
  });

  it('shows the local date of the zone, not of UTC', () => {
    // 07:00 WIT on Monday is still Sunday 22:00 in UTC.
    expect(
      describeOpening(at('2026-03-09T07:00:00+09:00'), {
        timezone: 'Asia/Jayapura',
        now: at('2026-03-06T13:00:00+09:00'),
      }),
    ).toBe('Senin, 07.00 WIT');
  });

  it('reads the text the out-of-hours auto-reply needs', () => {
    const calendar = new BusinessCalendar({
      timezone: 'Asia/Jakarta',
      serviceHours: { days: [1, 2, 3, 4, 5], open: '08:00', close: '12:00' },
      holidays: ['2027-01-01'],
    });
    const now = at('2026-12-31T15:00:00+07:00');
    const opening = calendar.nextOpening(now);
    expect(
      opening &&
        `Layanan online dibuka kembali ${describeOpening(opening, { timezone: calendar.timezone, now })}`,
    ).toBe('Layanan online dibuka kembali Senin, 4 Januari 2027, 08.00 WIB');
  });

  it.each([
    ['Asia/Jakarta', 'WIB'],
    ['Asia/Makassar', 'WITA'],
    ['Asia/Jayapura', 'WIT'],
  ])('zoneAbbreviation %s → %s', (timezone, abbreviation) => {
    expect(zoneAbbreviation(timezone, at('2026-03-02T00:00:00Z'))).toBe(abbreviation);
  });

  it('follows daylight saving time in other zones', () => {
    expect(zoneAbbreviation('Europe/Amsterdam', at('2026-01-15T12:00:00Z'))).toBe('GMT+1');
    expect(zoneAbbreviation('Europe/Amsterdam', at('2026-07-15T12:00:00Z'))).toBe('GMT+2');
  });
});
