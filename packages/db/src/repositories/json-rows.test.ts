import { describe, expect, it } from 'vitest';
import { jsonRows, wellFormed } from './json-rows.ts';

describe('jsonRows', () => {
  it('turns each lone surrogate into U+FFFD and keeps pairs (emoji) whole', () => {
    expect(wellFormed('a\uD800b')).toBe('a\uFFFDb');
    expect(wellFormed('a\uDC00b')).toBe('a\uFFFDb');
    expect(wellFormed('end\uD83D')).toBe('end\uFFFD');
    expect(wellFormed('ok 😀 \uD83D\uDE00')).toBe('ok 😀 😀');
  });

  it('writes the rows as JSON with every string well-formed, nested ones too', () => {
    const text = jsonRows([{ name: 'Warga \uD800', payload: { contact: { displayName: '\uDFFF' } }, n: 1 }]);
    expect(text).not.toMatch(/\\ud[89a-f]/i);
    expect(JSON.parse(text)).toEqual([
      { name: 'Warga \uFFFD', payload: { contact: { displayName: '\uFFFD' } }, n: 1 },
    ]);
  });
});
