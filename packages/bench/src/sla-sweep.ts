// The SLA sweep over the seeded open tickets: N of them moved past their first-response due time
// (and warning time), then core's sweepSla over the real repositories, pass after pass, until a pass
// finds nothing. One pass is what the gateway's SLA clock runs every SLA_SWEEP_INTERVAL_MS: it works
// off everything due in chunks (SLA_SWEEP_CHUNK tickets per transaction), each chunk claimed by one
// UPDATE … RETURNING and written by multi-row statements. Per breached ticket the sweep writes: the
// ticket's slaBreachedAt, an Event sla.breached, an AuditLog row, a system note (Message + Event),
// and for an open ticket a pengaduan (Complaint, ComplaintEvent, the citizen's notice Message and its
// delivery, and their events).
import { complaintContextFor, DEFAULT_OFFICE_POLICY, sweepSla, systemClock } from '@loket/core';
import { createRepositories, type Database } from '@loket/db';
import type pg from 'pg';
import { seededNumber } from './seed-tickets.ts';

export type SlaCase = {
  due: number;
  seconds: number;
  passes: number;
  breached: number;
  warned: number;
  /** True when the case was stopped at the time cap with due tickets left. */
  stopped: boolean;
  written: Record<string, number>;
};

const COUNTED = [
  '"Event"',
  '"AuditLog"',
  '"Message"',
  '"Complaint"',
  '"ComplaintEvent"',
  'pgboss.job',
] as const;

async function counts(pool: pg.Pool): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of COUNTED) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    result[table] = Number(rows[0]?.n ?? 0);
  }
  return result;
}

/** Sweeps until a pass finds nothing; returns the time and what it did. */
async function sweepUntilDone(database: Database, capSeconds: number) {
  const repos = createRepositories(database);
  let passes = 0;
  let breached = 0;
  let warned = 0;
  const started = performance.now();
  for (;;) {
    const result = await sweepSla({
      store: repos.inbox,
      clock: systemClock,
      context: complaintContextFor(DEFAULT_OFFICE_POLICY, systemClock.now()),
    });
    passes += 1;
    breached += result.breached.length;
    warned += result.warned.length;
    if (!result.breached.length && !result.warned.length) break;
    if (performance.now() - started > capSeconds * 1000)
      return { seconds: (performance.now() - started) / 1000, passes, breached, warned, stopped: true };
  }
  return { seconds: (performance.now() - started) / 1000, passes, breached, warned, stopped: false };
}

/** An empty sweep first (nothing due among all the open tickets), then one case per due count. */
export async function measureSlaSweeps(
  database: Database,
  pool: pg.Pool,
  options: { tickets: number; dueCounts: number[]; capSeconds: number; onCase?: (c: SlaCase) => void },
): Promise<{ empty: SlaCase; cases: SlaCase[] }> {
  // An untimed sweep first: the first queries of a fresh client pay for its connections and query
  // plans (hundreds of ms), which is start-up, not the cost of sweeping the open tickets.
  await sweepUntilDone(database, options.capSeconds);
  const before = await counts(pool);
  const emptyRun = await sweepUntilDone(database, options.capSeconds);
  const empty: SlaCase = { due: 0, ...emptyRun, written: diff(before, await counts(pool)) };
  const cases: SlaCase[] = [];
  let next = 1;
  for (const due of options.dueCounts) {
    if (next + due - 1 > options.tickets) {
      console.log(`  ${due} due: skipped, only ${options.tickets - next + 1} untouched tickets left`);
      continue;
    }
    await pool.query(
      `UPDATE "Ticket" SET "firstResponseDueAt" = now() - interval '1 minute', "slaWarnAt" = now() - interval '2 hours'
       WHERE number >= $1 AND number <= $2`,
      [seededNumber(next), seededNumber(next + due - 1)],
    );
    next += due;
    await pool.query('ANALYZE "Ticket"');
    const start = await counts(pool);
    const run = await sweepUntilDone(database, options.capSeconds);
    const sweepCase: SlaCase = { due, ...run, written: diff(start, await counts(pool)) };
    options.onCase?.(sweepCase);
    cases.push(sweepCase);
    // Leave no due ticket behind for the next case to sweep.
    if (run.stopped)
      await pool.query(
        `UPDATE "Ticket" SET "slaBreachedAt" = now(), "slaWarnedAt" = COALESCE("slaWarnedAt", now())
         WHERE "firstRespondedAt" IS NULL AND "slaBreachedAt" IS NULL AND "firstResponseDueAt" <= now()`,
      );
  }
  return { empty, cases };
}

function diff(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((key) => [key, (after[key] ?? 0) - (before[key] ?? 0)]));
}
