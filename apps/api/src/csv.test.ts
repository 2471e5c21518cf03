import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.ts';

describe('CSV', () => {
  it.each([
    ['plain', 'Kukusan', 'Kukusan'],
    ['a comma', 'Kukusan, Beji', '"Kukusan, Beji"'],
    ['quotes', 'Akta "cepat"', '"Akta ""cepat"""'],
    ['a line break', 'baris 1\nbaris 2', '"baris 1\nbaris 2"'],
    ['a formula', '=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['a leading plus or at', '+62 812', "'+62 812"],
    ['a leading minus', '-1', "'-1"],
  ])('writes a text cell with %s', (_case, value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers as they are, and null and non-finite numbers as empty cells', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('starts with a UTF-8 byte order mark and ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [['Cinere', 1]])).toBe('\uFEFFa,b\r\nCinere,1\r\n');
  });
});
