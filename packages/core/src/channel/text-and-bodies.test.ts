import { describe, expect, it } from 'vitest';
import { splitText } from './text-and-bodies.ts';

describe('splitText', () => {
  it('keeps short text whole and drops blank text', () => {
    expect(splitText('Halo', 10, 'utf16')).toEqual(['Halo']);
    expect(splitText('   ', 10, 'utf16')).toEqual([]);
  });

  it('prefers a line break, then a space, in the second half of the window', () => {
    expect(splitText('aaaa bbbb\ncccc dddd', 12, 'utf16')).toEqual(['aaaa bbbb', 'cccc dddd']);
    expect(splitText('aaaa bbbb cccc', 12, 'utf16')).toEqual(['aaaa bbbb', 'cccc']);
  });

  it('cuts hard when there is no break, never inside a surrogate pair', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(5)}`;
    const pieces = splitText(text, 10, 'utf16');
    expect(pieces.join('')).toBe(text);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(10);
      expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });

  it('counts UTF-8 bytes when asked', () => {
    const text = 'é'.repeat(600); // 1200 bytes, 600 characters
    const pieces = splitText(text, 1000, 'utf8');
    expect(pieces).toHaveLength(2);
    for (const piece of pieces) expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(1000);
    expect(pieces.join('')).toBe(text);
  });
});
