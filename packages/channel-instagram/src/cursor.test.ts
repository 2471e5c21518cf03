import { describe, expect, it } from 'vitest';
import { comparePositions, isAfter, microsToDate, parsePosition } from './cursor.ts';

describe('cursor positions', () => {
  it('orders by microsecond timestamp beyond 2^53, then by item id', () => {
    const a = { timestamp: '9007199254740993', itemId: '30074058301494429533411605882077184' };
    const b = { timestamp: '9007199254740992', itemId: '30074058301494429533411605882077185' };
    expect(comparePositions(a, b)).toBe(1);
    expect(isAfter({ ...a, itemId: '30074058301494429533411605882077185' }, a)).toBe(true);
    expect(isAfter(a, a)).toBe(false);
    // The baseline cursor has no item id: anything at a later microsecond is after it.
    expect(isAfter(a, { timestamp: '9007199254740992', itemId: '' })).toBe(true);
  });

  it('reads saved cursors back and rejects anything else', () => {
    expect(parsePosition('{"timestamp":"1630317967296799","itemId":"300"}')).toEqual({
      timestamp: '1630317967296799',
      itemId: '300',
    });
    expect(parsePosition('{"timestamp":1630317967296799}')).toBeUndefined();
    expect(parsePosition('not json')).toBeUndefined();
    expect(microsToDate('1630317967296799').toISOString()).toBe('2021-08-30T10:06:07.296Z');
  });
});
