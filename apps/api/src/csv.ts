// CSV as spreadsheets read it (RFC 4180): comma-separated, CRLF line ends, fields quoted when they
// hold a comma, quote or line break, quotes doubled. A UTF-8 byte order mark goes first, or Excel
// reads the file as the local code page and garbles any non-ASCII name.

export type CsvCell = string | number | null;

const BOM = '\uFEFF';
const NEEDS_QUOTES = /[",\r\n]/;
// A text cell starting with one of these is run as a formula by Excel and LibreOffice ("CSV
// injection"); names an admin typed (services) end up in reports, so such cells are defused.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvCell).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}
