// The physical limit beside the pipeline: the same rows by hand-written SQL, at 1 and 50 messages per
// transaction, in a fresh database of the benchmark's own, and the pipeline ÷ limit ratios.
import { createBenchDatabase } from './bench-database.ts';
import { benchEnv } from './env.ts';
import { type LimitFigures, measurePhysicalLimit } from './physical-limit.ts';
import { fmt, met, record } from './report.ts';
import type { IngestRun } from './run.ts';

async function emptyTables(pool: import('pg').Pool): Promise<void> {
  await pool.query(
    'TRUNCATE "Event", "DeliveryJob", "Message", "Ticket", "ContactIdentity", "Contact", "TicketCounter", "AssignmentCursor" CASCADE',
  );
}

export async function measureLimits(serverUrl: string, run: IngestRun): Promise<void> {
  const n = benchEnv.messages;
  console.log(
    '\nPhysical limit, PostgreSQL: the rows receiveMessage writes (contact, identity, ticket counter, assignment ' +
      'cursor, ticket, inbound message, acknowledgement message, delivery job, events; follow-ups: message, event, ' +
      'ticket update) by hand-written SQL with pg, one round trip per transaction, one connection',
  );
  const bench = await createBenchDatabase(serverUrl, 'limit');
  let one: LimitFigures;
  let fifty: LimitFigures;
  try {
    // The same message sequence as the pipeline's "1 at a time" run: 200 citizens, so the first 200
    // messages open a contact and a ticket and the rest are follow-ups. At 50 per transaction, five
    // times as many messages (and citizens) so the run lasts long enough to time.
    one = await measurePhysicalLimit(bench.pool, { messages: n, citizens: 200, batch: 1, run: 'b1' });
    await emptyTables(bench.pool);
    fifty = await measurePhysicalLimit(bench.pool, {
      messages: 5 * n,
      citizens: 1000,
      batch: 50,
      run: 'b50',
    });
  } finally {
    await bench.drop();
  }
  for (const figures of [one, fifty]) {
    console.log(
      `  ${`hand-written SQL, ${figures.batch} per transaction`.padEnd(44)} ${fmt(figures.perSecond).padStart(7)} msg/s  ` +
        `${figures.messages} in ${figures.seconds.toFixed(2)} s (${figures.firstMessages} of them first messages)`,
    );
  }
  const ratios = [
    ['receiveMessage 1 at a time ÷ limit at 1 per transaction', run.one.perSecond / one.perSecond],
    ['receiveMessage 16 in flight ÷ limit at 1 per transaction', run.sixteen.perSecond / one.perSecond],
    ['receiveMessage 1 at a time ÷ limit at 50 per transaction', run.one.perSecond / fifty.perSecond],
    ['receiveMessage 16 in flight ÷ limit at 50 per transaction', run.sixteen.perSecond / fifty.perSecond],
  ] as const;
  for (const [label, ratio] of ratios)
    console.log(`  ${label.padEnd(58)} ${ratio.toFixed(3)}  (target ≥ 0.25)`);
  console.log(
    '  The pipeline has no batching: it commits one transaction per message, so "the same batch size" is 1.\n' +
      '  Against 50 per transaction it is compared with what group commit would allow. The 16-in-flight run\n' +
      '  sends follow-ups only (its citizens already have tickets), a slightly lighter mix than the limit.',
  );
  record({
    measure: 'physical limit, hand-written SQL, 1 per transaction',
    figure: `${fmt(one.perSecond)} msg/s`,
    target: 'report it',
    ratio: `pipeline 1-at-a-time ÷ limit = ${ratios[0][1].toFixed(2)}`,
    met: met(ratios[0][1] >= 0.25),
  });
  const bestPipeline = Math.max(run.one.perSecond, run.sixteen.perSecond);
  record({
    measure: 'physical limit, hand-written SQL, 50 per transaction',
    figure: `${fmt(fifty.perSecond)} msg/s`,
    target: 'pipeline ÷ limit ≥ 0.25',
    ratio: `best pipeline (no batching) ÷ limit = ${(bestPipeline / fifty.perSecond).toFixed(3)}`,
    met: met(bestPipeline / fifty.perSecond >= 0.25),
  });
}
