import { describe, expect, it } from 'vitest';
import { parseUtcTimestamp } from './sql-reader.ts';

describe('parseUtcTimestamp', () => {
  it.each([
    ['2026-12-07 11:50:56.123', '2026-12-07T11:50:56.123Z'],
    ['2026-12-07 11:50:56.12', '2026-12-07T11:50:56.120Z'],
    ['2026-12-07 11:50:56.1', '2026-12-07T11:50:56.100Z'],
    ['2026-12-07 11:50:56', '2026-12-07T11:50:56.000Z'],
    ['2024-02-29 23:59:59.999', '2024-02-29T23:59:59.999Z'],
    // Microseconds (a plain `timestamp` column) are cut to milliseconds, as Date holds them.
    ['2026-12-07 11:50:56.123456', '2026-12-07T11:50:56.123Z'],
    ['0001-01-01 00:00:00', '0001-01-01T00:00:00.000Z'],
  ])('reads %s as the UTC instant %s', (text, iso) => {
    expect(parseUtcTimestamp(text).toISOString()).toBe(iso);
  });

  it('reads the forms it does not read by position through Date, still as UTC', () => {
    expect(Number.isNaN(parseUtcTimestamp('infinity').getTime())).toBe(true);
    expect(Number.isNaN(parseUtcTimestamp('2026-01-01 00:00:00 BC').getTime())).toBe(true);
  });

  it('does not depend on the process time zone', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Asia/Jakarta';
      expect(parseUtcTimestamp('2026-12-07 01:00:00').toISOString()).toBe('2026-12-07T01:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
