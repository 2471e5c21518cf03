// PostgreSQL with BENCH_TICKETS open tickets (default 1M): seeding time, GET /v1/tickets under load
// beside a bare Hono route with the same auth, then the SLA sweep at 1k / 10k / 100k due.
import { SLA_SWEEP_CHUNK } from '@loket/core';
import { createBenchDatabase } from './bench-database.ts';
import { benchEnv, enabled } from './env.ts';
import { fmt, met, record } from './report.ts';
import { seedTickets } from './seed-tickets.ts';
import { measureSlaSweeps, type SlaCase } from './sla-sweep.ts';
import { measureTicketsApi } from './tickets-api.ts';

export async function measureTicketsAndSla(serverUrl: string): Promise<void> {
  const tickets = benchEnv.tickets;
  const size = tickets >= 1_000_000 && tickets % 100_000 === 0 ? `${tickets / 1_000_000}M` : fmt(tickets);
  console.log(`\nPostgreSQL with ${fmt(tickets)} open tickets (BENCH_TICKETS changes it)`);
  const bench = await createBenchDatabase(serverUrl, 'tickets');
  try {
    const seeded = await seedTickets(bench.pool, tickets, (done) => {
      if (done % 200_000 === 0 || done === tickets) console.log(`  seeded ${fmt(done)} tickets`);
    });
    console.log(
      `  seeding: ${fmt(tickets)} tickets and ${fmt(seeded.contacts)} contacts by INSERT … SELECT generate_series ` +
        `in ${seeded.seconds.toFixed(1)} s (with every index of the schema in place, then ANALYZE)`,
    );
    if (enabled('tickets')) await ticketsLoad(bench, size);
    if (enabled('sla')) await slaCases(bench, tickets, size);
  } finally {
    await bench.drop();
  }
}

async function ticketsLoad(
  bench: Awaited<ReturnType<typeof createBenchDatabase>>,
  size: string,
): Promise<void> {
  const { seconds, connections } = { seconds: benchEnv.loadSeconds, connections: benchEnv.loadConnections };
  console.log(
    `\nGET /v1/tickets?limit=50 with ${size} tickets: real createApi on @hono/node-server, autocannon ` +
      `(${connections} connections, ${seconds} s, officer bearer token), beside a bare Hono route with the same auth`,
  );
  const figures = await measureTicketsApi(bench.database, bench.pool, { seconds, connections });
  for (const [label, load] of [
    ['bare Hono route (hash + user lookup, small JSON)', figures.bare],
    ['the same page by hand (same auth, SQL, JSON)', figures.floor],
    ['GET /v1/tickets?limit=50 (real API)', figures.api],
    [`the same at a fixed ${fmt(figures.apiAtRate.rate)} req/s (half its ceiling)`, figures.apiAtRate],
  ] as const) {
    console.log(
      `  ${label.padEnd(48)} ${fmt(load.requestsPerSecond).padStart(7)} req/s  p50 ${load.p50} ms  p99 ${load.p99} ms` +
        `  (${fmt(load.total)} requests, ${load.non2xx} non-2xx, ${load.errors} errors)`,
    );
  }
  const ratio = figures.api.requestsPerSecond / figures.bare.requestsPerSecond;
  const floorRatio = figures.api.requestsPerSecond / figures.floor.requestsPerSecond;
  const floorOverBare = figures.floor.requestsPerSecond / figures.bare.requestsPerSecond;
  const atRate = figures.apiAtRate;
  console.log(
    `  req/s ratio API ÷ bare: ${ratio.toFixed(2)} (target ≥ 0.5; the hand-written page itself reaches ` +
      `${floorOverBare.toFixed(2)}); API ÷ hand-written page: ${floorRatio.toFixed(2)}; API p99 ${figures.api.p99} ms saturated, ` +
      `${atRate.p99} ms at ${fmt(atRate.rate)} req/s (target < 20 ms)`,
  );
  const clean = [figures.api, atRate].every((load) => load.non2xx === 0 && load.errors === 0);
  record({
    measure: `GET /v1/tickets (50), ${size} tickets: p99 saturated (${connections} connections, closed loop)`,
    figure: `p50 ${figures.api.p50} ms, p99 ${figures.api.p99} ms`,
    target: 'p99 < 20 ms',
    ratio: `${(figures.api.p99 / 20).toFixed(2)} × target`,
    met: met(figures.api.p99 < 20 && clean),
  });
  record({
    measure: `GET /v1/tickets (50), ${size} tickets: p99 at ${fmt(atRate.rate)} req/s (half the ceiling)`,
    figure: `p50 ${atRate.p50} ms, p99 ${atRate.p99} ms (${fmt(atRate.requestsPerSecond)} req/s served)`,
    target: 'p99 < 20 ms',
    ratio: `${(atRate.p99 / 20).toFixed(2)} × target`,
    met: met(atRate.p99 < 20 && clean),
  });
  record({
    measure: `GET /v1/tickets (50), ${size} tickets: req/s`,
    figure: `${fmt(figures.api.requestsPerSecond)} req/s (bare: ${fmt(figures.bare.requestsPerSecond)})`,
    target: '≥ 0.5 × bare Hono',
    ratio: `${ratio.toFixed(2)} × bare`,
    met: met(ratio >= 0.5 && clean),
  });
  record({
    measure: `GET /v1/tickets (50), ${size} tickets: the same page by hand (floor)`,
    figure: `${fmt(figures.floor.requestsPerSecond)} req/s = ${floorOverBare.toFixed(2)} × bare; the API is ${floorRatio.toFixed(2)} × this`,
    target: '(context: the most a page of 50 gives here)',
    ratio: `API ${floorRatio.toFixed(2)} × floor`,
    met: 'n/a',
  });
}

function describeCase(c: SlaCase): string {
  const written = Object.entries(c.written)
    .map(([table, n]) => `${table} +${fmt(n)}`)
    .join(', ');
  if (c.stopped)
    return `${fmt(c.due).padStart(7)} due: STOPPED at the ${benchEnv.slaCapSeconds} s cap (BENCH_SLA_CAP_SECONDS) after ${fmt(c.breached)} breached in ${c.seconds.toFixed(1)} s (${((c.seconds * 1000) / Math.max(c.breached, 1)).toFixed(2)} ms per ticket; all ${fmt(c.due)} would take ≈ ${((c.seconds / Math.max(c.breached, 1)) * c.due).toFixed(0)} s) wrote ${written}`;
  return `${fmt(c.due).padStart(7)} due: ${c.seconds.toFixed(2)} s in ${c.passes} passes (${fmt(c.breached)} breached, ${fmt(c.warned)} warned; ${((c.seconds * 1000) / Math.max(c.due, 1)).toFixed(2)} ms per due ticket) wrote ${written}`;
}

async function slaCases(
  bench: Awaited<ReturnType<typeof createBenchDatabase>>,
  tickets: number,
  size: string,
): Promise<void> {
  console.log(
    `\nSLA sweep with ${size} open tickets: N tickets moved past their due time, core's sweepSla over the real ` +
      `repositories (${fmt(SLA_SWEEP_CHUNK)} per transaction, as the SLA clock runs it) until none is due`,
  );
  const { empty, cases } = await measureSlaSweeps(bench.database, bench.pool, {
    tickets,
    dueCounts: benchEnv.slaDue,
    capSeconds: benchEnv.slaCapSeconds,
    onCase: (c) => console.log(`  ${describeCase(c)}`),
  });
  console.log(
    `  nothing due: one pass in ${(empty.seconds * 1000).toFixed(1)} ms (the cost of a sweep over ${size} open tickets)`,
  );
  const perTicket = cases.map((c) => c.seconds / Math.max(c.stopped ? c.breached : c.due, 1));
  const spread = perTicket.length > 1 ? Math.max(...perTicket) / Math.min(...perTicket) : Number.NaN;
  if (perTicket.length > 1) {
    console.log(
      `  cost per due ticket ${perTicket.map((t) => `${(t * 1000).toFixed(1)} ms`).join(' / ')} (spread ${spread.toFixed(2)}×) ` +
        `across the cases (${cases.map((c) => `${fmt(c.due)} → ${c.seconds.toFixed(1)} s${c.stopped ? ' (stopped)' : ''}`).join(', ')}); the empty sweep shows what the ${size} open tickets cost`,
    );
  }
  const tenK = cases.find((c) => c.due === 10_000);
  record({
    measure: `SLA sweep, ${size} open, 10k due`,
    figure: tenK
      ? `${tenK.seconds.toFixed(2)} s${tenK.stopped ? ' (stopped at the cap)' : ''}`
      : 'not run (BENCH_SLA_DUE has no 10000)',
    target: '< 1 s',
    ratio: tenK ? `${tenK.seconds.toFixed(1)} × target` : '',
    met: tenK ? met(tenK.seconds < 1) : 'n/a',
  });
  record({
    measure: 'SLA sweep: cost grows with due, not total',
    figure:
      cases
        .map(
          (c) =>
            `${fmt(c.due / 1000)}k: ${c.seconds.toFixed(1)} s${c.stopped ? ` (stopped, ${fmt(c.breached)} done)` : ''}`,
        )
        .join(', ') || 'no cases',
    target: 'grows with due tickets',
    ratio: `per due ticket ${spread.toFixed(2)}× spread; nothing due: ${(empty.seconds * 1000).toFixed(0)} ms`,
    // Linear in the due tickets (per-ticket cost within 2×) and an empty sweep that ignores the open ones.
    met: met(cases.length > 1 && spread < 2 && empty.seconds < 0.1),
  });
}
