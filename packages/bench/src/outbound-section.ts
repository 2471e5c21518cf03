// Outbound throughput through the real delivery worker, its pacer and the Telegram adapter to the fake
// Bot API: first unpaced (the ceiling of this machine), then against each configured limit.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openMigratedDatabase } from '@loket/db';
import { benchEnv } from './env.ts';
import { measureOutbound } from './outbound.ts';
import { fmt, met, record } from './report.ts';

const FIRST_ID = 900_000_000;
const IDS_PER_RUN = 10_000_000;

async function measureCeiling(database: Database): Promise<number> {
  const figures = await measureOutbound(database, {
    citizens: benchEnv.outbound,
    firstId: FIRST_ID,
    windowSeconds: 1,
    batchSize: 50,
  });
  console.log(
    `  unpaced: ${fmt(figures.queued)} queued, sent ${fmt(figures.sent)} (${figures.failed} failed) in ${figures.seconds.toFixed(2)} s: ` +
      `${fmt(figures.perSecond)} msg/s on average, ${fmt(figures.maxInAnySecond)} in the busiest second. A limit above this is not reachable here.`,
  );
  return figures.perSecond;
}

async function measureLimit(database: Database, limit: number, run: number, ceiling: number): Promise<void> {
  const windowSeconds = benchEnv.outboundWindowSeconds;
  // Two replies per citizen; the queue outlasts the window by two seconds so the window is all steady.
  const citizens = Math.ceil((limit * (windowSeconds + 2)) / 2);
  // Each chat's second reply waits Telegram's 1 s per chat: a claim of three seconds of work keeps
  // enough other chats ready meanwhile.
  const batchSize = Math.max(50, Math.ceil(3 * limit));
  const figures = await measureOutbound(database, {
    citizens,
    firstId: FIRST_ID + run * IDS_PER_RUN,
    perSecond: limit,
    windowSeconds,
    batchSize,
  });
  const ratio = figures.windowPerSecond / limit;
  const ok = ratio >= 0.95 && figures.maxInAnySecond <= limit;
  console.log(
    `  limit ${fmt(limit)}/s (and 1 s per chat), claims of ${fmt(batchSize)}: ${fmt(figures.queued)} queued, sent ${fmt(figures.sent)} ` +
      `(${figures.failed} failed) in ${figures.seconds.toFixed(2)} s; ${fmt(figures.windowPerSecond, 1)} msg/s over the first ${windowSeconds} s ` +
      `= ${ratio.toFixed(3)} × limit; at most ${fmt(figures.maxInAnySecond)} in any 1 s window (limit ${fmt(limit)}); ` +
      `${fmt(figures.perSecond, 1)} msg/s first to last${limit > ceiling ? ' (above the unpaced ceiling)' : ''}`,
  );
  record({
    measure: `outbound to fake Telegram, limit ${fmt(limit)}/s`,
    figure: `${fmt(figures.windowPerSecond, 1)} msg/s over ${windowSeconds} s, max ${fmt(figures.maxInAnySecond)} in any 1 s`,
    target: '≥ 0.95 × limit, never above',
    ratio: `${ratio.toFixed(3)} × limit; max 1 s ${figures.maxInAnySecond <= limit ? '≤' : '>'} limit`,
    met: met(ok),
  });
}

/** On the given PostgreSQL database, or on an embedded one in a temporary directory. */
export async function measureOutboundSection(postgres: Database | undefined): Promise<void> {
  console.log(
    `\nOutbound: replies queued by citizens' first messages (two each), the gateway's delivery worker and pacer, and the real Telegram ` +
      `adapter against the fake Bot API (${postgres ? 'PostgreSQL' : 'embedded PGlite'}); rates counted at the fake. ` +
      `BENCH_OUTBOUND (unpaced citizens), BENCH_OUTBOUND_LIMITS, BENCH_OUTBOUND_WINDOW change it`,
  );
  const dataDir = postgres ? undefined : await mkdtemp(path.join(tmpdir(), 'loket-bench-out-'));
  const database = postgres ?? (await openMigratedDatabase({ kind: 'pglite', dataDir: dataDir as string }));
  try {
    const ceiling = benchEnv.outbound > 0 ? await measureCeiling(database) : Number.POSITIVE_INFINITY;
    for (const [index, limit] of benchEnv.outboundLimits.entries()) {
      await measureLimit(database, limit, index + 1, ceiling);
    }
  } finally {
    if (!postgres) {
      await database.close();
      await rm(dataDir as string, { recursive: true, force: true });
    }
  }
}
