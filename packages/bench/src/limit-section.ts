// The physical limit beside the pipeline: the same rows by hand-written SQL, at 1 message per
// transaction and at the pipeline's own batch size, in a fresh database of the benchmark's own, and
// the pipeline ÷ limit ratios.
import { createBenchDatabase } from './bench-database.ts';
import { benchEnv } from './env.ts';
import { type LimitFigures, measurePhysicalLimit } from './physical-limit.ts';
import { fmt, met, record } from './report.ts';
import type { IngestRun } from './run.ts';

async function emptyTables(pool: import('pg').Pool): Promise<void> {
  await pool.query(
    'TRUNCATE "Event", pgboss.job, "Message", "Ticket", "ContactIdentity", "Contact", "TicketCounter" CASCADE',
  );
}

export async function measureLimits(serverUrl: string, run: IngestRun): Promise<void> {
  const n = benchEnv.messages;
  // The same batch size as the pipeline's burst run: its mean messages per transaction.
  const batch = Math.max(1, Math.round(run.burst.meanBatch));
  console.log(
    '\nPhysical limit, PostgreSQL: the rows the pipeline writes (contact, identity, ticket counter, ticket, ' +
      'inbound message, acknowledgement message, delivery job, events; follow-ups: message, event, ticket ' +
      'update) by hand-written SQL with pg, one round trip per transaction, one connection',
  );
  const bench = await createBenchDatabase(serverUrl, 'limit');
  let one: LimitFigures;
  let same: LimitFigures;
  try {
    // The same message sequences as the pipeline's runs: n messages from 200 citizens, one per
    // transaction; then 5n from 1000 citizens at the burst's batch size.
    one = await measurePhysicalLimit(bench.pool, { messages: n, citizens: 200, batch: 1, run: 'b1' });
    await emptyTables(bench.pool);
    same = await measurePhysicalLimit(bench.pool, { messages: 5 * n, citizens: 1000, batch, run: 'burst' });
  } finally {
    await bench.drop();
  }
  for (const figures of [one, same]) {
    console.log(
      `  ${`hand-written SQL, ${figures.batch} per transaction`.padEnd(44)} ${fmt(figures.perSecond).padStart(7)} msg/s  ` +
        `${figures.messages} in ${figures.seconds.toFixed(2)} s (${figures.firstMessages} of them first messages)`,
    );
  }
  const ratios = [
    ['pipeline 1 in flight ÷ limit at 1 per transaction', run.one.perSecond / one.perSecond],
    [
      `pipeline burst ÷ limit at ${batch} per transaction (same batch size)`,
      run.burst.perSecond / same.perSecond,
    ],
  ] as const;
  for (const [label, ratio] of ratios)
    console.log(`  ${label.padEnd(66)} ${ratio.toFixed(3)}  (target ≥ 0.25)`);
  record({
    measure: 'physical limit, hand-written SQL, 1 per transaction',
    figure: `${fmt(one.perSecond)} msg/s`,
    target: 'report it',
    ratio: `pipeline 1 in flight ÷ limit = ${ratios[0][1].toFixed(2)}`,
    met: met(ratios[0][1] >= 0.25),
  });
  record({
    measure: `physical limit, hand-written SQL, ${batch} per transaction`,
    figure: `${fmt(same.perSecond)} msg/s`,
    target: 'pipeline ÷ limit ≥ 0.25',
    ratio: `pipeline burst (${batch} per transaction) ÷ limit = ${ratios[1][1].toFixed(3)}`,
    met: met(ratios[1][1] >= 0.25),
  });
}
