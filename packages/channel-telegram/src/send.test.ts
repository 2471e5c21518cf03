import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_LENGTH, splitMessageText } from './send.ts';

describe('splitMessageText', () => {
  it('leaves text within the limit alone and drops blank text', () => {
    expect(splitMessageText('Halo')).toEqual(['Halo']);
    expect(splitMessageText('x'.repeat(MAX_MESSAGE_LENGTH))).toHaveLength(1);
    expect(splitMessageText('')).toEqual([]);
    expect(splitMessageText('  \n ')).toEqual([]);
  });

  it('cuts at a line break in the second half of the window', () => {
    const text = `${'a'.repeat(3000)}\n${'b'.repeat(3000)}`;
    expect(splitMessageText(text)).toEqual(['a'.repeat(3000), 'b'.repeat(3000)]);
  });

  it('falls back to a space, then to a hard cut', () => {
    const words = `${'kata '.repeat(1000)}`.trim();
    const pieces = splitMessageText(words);
    expect(pieces.every((piece) => piece.length <= MAX_MESSAGE_LENGTH && !piece.startsWith(' '))).toBe(true);
    expect(pieces.join(' ')).toBe(words);

    const solid = 'x'.repeat(9000);
    expect(splitMessageText(solid).map((piece) => piece.length)).toEqual([4096, 4096, 808]);
  });

  it('never splits an emoji surrogate pair', () => {
    const text = `${'x'.repeat(4095)}😀${'y'.repeat(10)}`;
    const pieces = splitMessageText(text);
    expect(pieces[0]).toBe('x'.repeat(4095));
    expect(pieces[1]?.startsWith('😀')).toBe(true);
    expect(pieces.join('')).toBe(text);
  });
});
