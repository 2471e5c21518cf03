import { describe, expect, it } from 'vitest';
import { pairingPhoneDigits } from './pairing.ts';

describe('pairingPhoneDigits', () => {
  it.each([
    ['6281234567890', '6281234567890'],
    ['+62 812-3456-7890', '6281234567890'],
    ['0062 (812) 3456.7890', '6281234567890'],
  ])('%s → %s', (input, digits) => {
    expect(pairingPhoneDigits(input)).toBe(digits);
  });

  it.each(['081234567890', '12345', '+62 812 abc', '', '+1234567890123456'])('rejects %j', (input) => {
    expect(() => pairingPhoneDigits(input)).toThrow(/full international number/);
  });
});
