// `pnpm bench`: figures and ratios measured side by side in one run. Not a test: this machine is shared.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openMigratedDatabase, openTestDatabase } from '@loket/db';
import { createBenchDatabase } from './bench-database.ts';
import { benchEnv, enabled } from './env.ts';
import { type IngestFigures, measureIngest, measureSingleRowCommits } from './inbound-ingest.ts';
import { measureLimits } from './limit-section.ts';
import { measureOutboundSection } from './outbound-section.ts';
import { fmt, met, printTable, record } from './report.ts';
import { measureRssSection } from './rss-section.ts';
import { measureStartup } from './startup.ts';
import { measureTicketsAndSla } from './tickets-section.ts';

function line(label: string, figures: IngestFigures, floor?: IngestFigures): void {
  const ratio = floor ? `  (${(figures.perSecond / floor.perSecond).toFixed(2)} × one-row commits)` : '';
  const batches =
    figures.batches && figures.meanBatch > 1
      ? `, ${figures.batches} transactions of ${figures.meanBatch.toFixed(1)} messages (largest ${figures.largestBatch})`
      : '';
  console.log(
    `  ${label.padEnd(44)} ${fmt(figures.perSecond).padStart(7)} msg/s  ${figures.messages} in ${figures.seconds.toFixed(2)} s${batches}${ratio}`,
  );
}

export type IngestRun = { floor: IngestFigures; one: IngestFigures; burst: IngestFigures };

/** Messages awaiting their ack at once in the burst run: a webhook burst, several getUpdates pages. */
export const BURST_IN_FLIGHT = 500;

async function ingestOn(name: string, database: Database): Promise<IngestRun> {
  console.log(`\nInbound ingest, ${name} (real pipeline: group commit, each message stored before its ack)`);
  const n = benchEnv.messages;
  const floor = await measureSingleRowCommits(database.prisma, n);
  line('hand-written INSERT, one row per commit', floor);
  const one = await measureIngest(database.prisma, {
    messages: n,
    concurrency: 1,
    citizens: 200,
    run: 'one',
  });
  line('pipeline, 1 in flight', one, floor);
  // Five times as many messages (and citizens), so the run lasts long enough to time.
  const burst = await measureIngest(database.prisma, {
    messages: 5 * n,
    concurrency: BURST_IN_FLIGHT,
    citizens: 1000,
    run: 'burst',
  });
  line(`pipeline, ${BURST_IN_FLIGHT} in flight`, burst, floor);
  return { floor, one, burst };
}

const best = (run: IngestRun) => Math.max(run.one.perSecond, run.burst.perSecond);

async function embeddedIngest(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'loket-bench-db-'));
  try {
    const embedded = await openMigratedDatabase({ kind: 'pglite', dataDir });
    const run = await ingestOn('embedded PGlite (files)', embedded);
    await embedded.close();
    record({
      measure: `inbound ingest, PGlite (best of 1 / ${BURST_IN_FLIGHT} in flight)`,
      figure: `${fmt(best(run))} msg/s`,
      target: '≥ 1,000 msg/s',
      ratio: `${(best(run) / 1000).toFixed(2)} × target`,
      met: met(best(run) >= 1000),
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function postgresMeasures(url: string): Promise<void> {
  let run: IngestRun | undefined;
  if (enabled('ingest') || enabled('limit')) {
    const postgres = await openTestDatabase('postgres', url);
    try {
      run = await ingestOn('PostgreSQL', postgres);
    } finally {
      await postgres.close();
    }
    record({
      measure: `inbound ingest, PostgreSQL (best of 1 / ${BURST_IN_FLIGHT} in flight)`,
      figure: `${fmt(best(run))} msg/s`,
      target: '≥ 5,000 msg/s',
      ratio: `${(best(run) / 5000).toFixed(2)} × target`,
      met: met(best(run) >= 5000),
    });
  }
  if (run && enabled('limit')) await measureLimits(url, run);
  if (enabled('tickets') || enabled('sla')) await measureTicketsAndSla(url);
}

async function main(): Promise<void> {
  console.log(`Loket benchmarks (${benchEnv.messages} messages per ingest run; BENCH_MESSAGES changes it)`);
  if (enabled('ingest')) await embeddedIngest();
  if (benchEnv.postgresUrl) {
    await postgresMeasures(benchEnv.postgresUrl);
  } else {
    console.log(
      '\nPostgreSQL: skipped (set DATABASE_URL or BENCH_DATABASE_URL): PostgreSQL ingest, the physical limit, ' +
        'GET /v1/tickets with 1M tickets and the SLA sweep are not measured in this run',
    );
    for (const measure of [
      'inbound ingest, PostgreSQL',
      'physical limit (pipeline ÷ limit)',
      'GET /v1/tickets, 1M tickets',
      'SLA sweep, 1M open, 10k due',
    ])
      record({ measure, figure: 'skipped (no DATABASE_URL)', target: '', ratio: '', met: 'n/a' });
  }
  if (enabled('outbound')) {
    const postgres = benchEnv.postgresUrl
      ? await createBenchDatabase(benchEnv.postgresUrl, 'outbound')
      : undefined;
    try {
      await measureOutboundSection(postgres?.database);
    } finally {
      await postgres?.drop();
    }
  }
  if (enabled('startup')) {
    console.log('\nStart-up: pnpm start (embedded) to a healthy /healthz');
    const startup = await measureStartup();
    console.log(`  first start (creates and migrates the database) ${startup.firstSeconds.toFixed(2)} s`);
    console.log(
      `  later start                                      ${startup.warmSeconds.toFixed(2)} s  (target < 3 s)`,
    );
    record({
      measure: 'pnpm start → healthy /healthz, embedded (later start)',
      figure: `${startup.warmSeconds.toFixed(2)} s (first: ${startup.firstSeconds.toFixed(2)} s)`,
      target: '< 3 s',
      ratio: `${(startup.warmSeconds / 3).toFixed(2)} × target`,
      met: met(startup.warmSeconds < 3),
    });
  }
  if (enabled('rss')) await measureRssSection();
  printTable();
}

await main();
