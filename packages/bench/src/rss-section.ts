// The RSS section of `pnpm bench`: one Loket process with three channels connected, on PostgreSQL (a
// fresh database of the bench's own) and on the embedded default, side by side, each with where its
// memory goes.
import { createBenchDatabase } from './bench-database.ts';
import { benchEnv } from './env.ts';
import { fmt, met, record } from './report.ts';
import { measureRss, type RssFigures } from './rss.ts';

const TARGET_MB = 200;

type Column = { name: string; figures: RssFigures | undefined };

function printSideBySide(columns: Column[]): void {
  const cell = (value: number | undefined) => (value === undefined ? '—' : `${fmt(value)} MB`).padStart(12);
  const row = (label: string, pick: (f: RssFigures) => number) =>
    console.log(`  ${label.padEnd(52)}${columns.map((c) => cell(c.figures && pick(c.figures))).join('')}`);
  console.log(`  ${''.padEnd(52)}${columns.map((c) => c.name.padStart(12)).join('')}`);
  row('VmRSS, no channel switched on', (f) => f.idleMb);
  row('VmRSS, 3 channels connected', (f) => f.loketMb);
  row('  files (node binary, libraries)', (f) => f.smaps.filesMb);
  row('  WebAssembly memories, resident', (f) => f.smaps.wasmMemoryMb);
  row('  glibc malloc (brk heap + thread arenas)', (f) => f.smaps.mallocMb);
  row('  other anonymous (V8 heap, code, big buffers)', (f) => f.smaps.otherMb);
  row('V8 heap used', (f) => f.reported.heapUsedMb);
  row('V8 heap total (committed)', (f) => f.reported.heapTotalMb);
  row('external (incl. WebAssembly memories, committed)', (f) => f.reported.externalMb);
  row('  of which ArrayBuffers', (f) => f.reported.arrayBuffersMb);
  row('whole process tree (with the pnpm wrapper)', (f) => f.treeMb);
}

function recordColumn(name: string, figures: RssFigures | undefined): void {
  const measure = `RSS, one process, 3 channels connected, ${name}`;
  if (!figures) {
    record({ measure, figure: 'skipped (no DATABASE_URL)', target: '', ratio: '', met: 'n/a' });
    return;
  }
  record({
    measure,
    figure: `${fmt(figures.loketMb)} MB (no channels: ${fmt(figures.idleMb)}; tree ${fmt(figures.treeMb)})`,
    target: `< ${TARGET_MB} MB`,
    ratio: `${(figures.loketMb / TARGET_MB).toFixed(2)} × target`,
    met: met(figures.loketMb < TARGET_MB),
  });
}

export async function measureRssSection(): Promise<void> {
  console.log('\nRSS: one process (pnpm start) with Telegram, Instagram and WhatsApp Cloud connected');
  let postgres: RssFigures | undefined;
  if (benchEnv.postgresUrl) {
    const database = await createBenchDatabase(benchEnv.postgresUrl, 'rss');
    try {
      postgres = await measureRss(database.url);
    } finally {
      await database.drop();
    }
    for (const proc of postgres.processes) console.log(`  PostgreSQL: ${proc}`);
  } else {
    console.log('  PostgreSQL: skipped (set DATABASE_URL or BENCH_DATABASE_URL)');
  }
  const embedded = await measureRss();
  for (const proc of embedded.processes) console.log(`  embedded:   ${proc}`);
  printSideBySide([
    { name: 'PostgreSQL', figures: postgres },
    { name: 'embedded', figures: embedded },
  ]);
  recordColumn('PostgreSQL', postgres);
  recordColumn('embedded (PGlite, fresh DATA_DIR)', embedded);
}
