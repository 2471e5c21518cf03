// The closing table: every figure with its target, the ratio it is judged by, and whether it is met.

export type Met = 'yes' | 'no' | 'n/a';

export type Row = { measure: string; figure: string; target: string; ratio: string; met: Met };

const rows: Row[] = [];

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function record(row: Row): void {
  rows.push(row);
}

export const met = (ok: boolean): Met => (ok ? 'yes' : 'no');

export function printTable(): void {
  const header: Row = { measure: 'measure', figure: 'figure', target: 'target', ratio: 'ratio', met: 'n/a' };
  const cells = (row: Row) => [
    row.measure,
    row.figure,
    row.target,
    row.ratio,
    row === header ? 'met' : row.met,
  ];
  const all = [header, ...rows];
  const widths = cells(header).map((_, column) =>
    Math.max(...all.map((row) => cells(row)[column]?.length ?? 0)),
  );
  const lineOf = (values: string[]) =>
    `| ${values.map((value, c) => value.padEnd(widths[c] ?? 0)).join(' | ')} |`;
  console.log('\nSummary');
  console.log(lineOf(cells(header)));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(lineOf(cells(row)));
}
