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

describe('jsonRows on text that looks like an escape', () => {
  it('keeps a citizen-typed backslash-u sequence and still replaces a lone surrogate next to it', () => {
    const typed = 'kode \\ud800 dan \\\\ud83d';
    const text = jsonRows([{ a: typed, b: `\\${'\uD800'}`, c: 'x\uD83D\uDE00\uDE00' }]);
    expect(JSON.parse(text)).toEqual([{ a: typed, b: '\\\uFFFD', c: 'x😀\uFFFD' }]);
  });

  it('matches wellFormed on every string of random UTF-16 rows', () => {
    const units = ['a', '\\', 'u', 'd', '8', '"', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '😀', '\n'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 500; round += 1) {
      const text = Array.from({ length: 12 }, () => units[Math.floor(random() * units.length)]).join('');
      const rows = [{ text, nested: { list: [text, 1, null] } }];
      expect(JSON.parse(jsonRows(rows))).toEqual([
        { text: wellFormed(text), nested: { list: [wellFormed(text), 1, null] } },
      ]);
    }
  });
});
