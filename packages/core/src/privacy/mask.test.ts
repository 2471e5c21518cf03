import { describe, expect, it } from 'vitest';
import { maskPersonalData } from './mask.ts';

describe('maskPersonalData', () => {
  it.each([
    ['NIK saya 3276010101010001', 'NIK saya 3276********0001'],
    ['KK: 3276 0101 0101 0002.', 'KK: 3276 **** **** 0002.'],
    ['3276-0101-0101-0003', '3276-****-****-0003'],
    [
      '{"text":"nik 3276010101010001 kk 3276010101010002"}',
      '{"text":"nik 3276********0001 kk 3276********0002"}',
    ],
  ])('masks %s', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });

  it.each([
    ['a phone number 081234567890', 'a phone number 081234567890'],
    ['17 digits 32760101010100011 are not a NIK', '17 digits 32760101010100011 are not a NIK'],
    ['ticket DPK-2026-000123', 'ticket DPK-2026-000123'],
  ])('leaves %s alone', (input, expected) => {
    expect(maskPersonalData(input)).toBe(expected);
  });
});
