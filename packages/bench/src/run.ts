// `pnpm bench`: figures and ratios measured side by side in one run. Not a test: this machine is shared.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openMigratedDatabase, openTestDatabase } from '@loket/db';
import { benchEnv } from './env.ts';
import { type IngestFigures, measureIngest, measureSingleRowCommits } from './inbound-ingest.ts';
import { measureStartup } from './startup.ts';

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

function line(label: string, figures: IngestFigures, floor?: IngestFigures): void {
  const ratio = floor ? `  (${(figures.perSecond / floor.perSecond).toFixed(2)} × one-row commits)` : '';
  console.log(
    `  ${label.padEnd(44)} ${fmt(figures.perSecond).padStart(7)} msg/s  ${figures.messages} in ${figures.seconds.toFixed(2)} s${ratio}`,
  );
}

async function ingestOn(name: string, database: Database): Promise<void> {
  console.log(`\nInbound ingest, ${name} (real pipeline, one transaction per message, stored before ack)`);
  const n = benchEnv.messages;
  const floor = await measureSingleRowCommits(database.prisma, n);
  line('hand-written INSERT, one row per commit', floor);
  line(
    'receiveMessage, 1 at a time',
    await measureIngest(database.prisma, { messages: n, concurrency: 1, citizens: 200, offset: 0 }),
    floor,
  );
  line(
    'receiveMessage, 16 in flight',
    await measureIngest(database.prisma, { messages: n, concurrency: 16, citizens: 200, offset: n }),
    floor,
  );
}

async function main(): Promise<void> {
  console.log(`Loket benchmarks (${benchEnv.messages} messages per run; BENCH_MESSAGES changes it)`);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-bench-db-'));
  try {
    const embedded = await openMigratedDatabase({ kind: 'pglite', dataDir });
    await ingestOn('embedded PGlite (files)', embedded);
    await embedded.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  if (benchEnv.postgresUrl) {
    const postgres = await openTestDatabase('postgres', benchEnv.postgresUrl);
    try {
      await ingestOn('PostgreSQL', postgres);
    } finally {
      await postgres.close();
    }
  } else {
    console.log('\nPostgreSQL: skipped (set DATABASE_URL or BENCH_DATABASE_URL)');
  }
  console.log('\nStart-up: pnpm start (embedded) to a healthy /healthz');
  const startup = await measureStartup();
  console.log(`  first start (creates and migrates the database) ${startup.firstSeconds.toFixed(2)} s`);
  console.log(
    `  later start                                      ${startup.warmSeconds.toFixed(2)} s  (target < 3 s)`,
  );
}

await main();
