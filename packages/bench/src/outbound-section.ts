// Outbound throughput through the real delivery worker and Telegram adapter to the fake Bot API.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Database, openMigratedDatabase } from '@loket/db';
import { benchEnv } from './env.ts';
import { measureOutbound } from './outbound.ts';
import { fmt, record } from './report.ts';

/** On the given PostgreSQL database, or on an embedded one in a temporary directory. */
export async function measureOutboundSection(postgres: Database | undefined): Promise<void> {
  const replies = benchEnv.outbound;
  console.log(
    `\nOutbound: the replies queued by ${fmt(replies)} citizens' first messages, the gateway's delivery worker and the real Telegram adapter ` +
      `against the fake Bot API (${postgres ? 'PostgreSQL' : 'embedded PGlite'}; BENCH_OUTBOUND changes the count)`,
  );
  const dataDir = postgres ? undefined : await mkdtemp(path.join(tmpdir(), 'loket-bench-out-'));
  const database = postgres ?? (await openMigratedDatabase({ kind: 'pglite', dataDir: dataDir as string }));
  try {
    const figures = await measureOutbound(database, replies);
    console.log(
      `  ${fmt(figures.queued)} queued (acknowledgement and auto-reply per citizen); sent ${fmt(figures.sent)} (${figures.failed} failed) in ${figures.seconds.toFixed(2)} s: ` +
        `${fmt(figures.perSecond)} msg/s on average, ${figures.seconds < 1 ? 'no full second to judge a peak by' : `${fmt(figures.peakPerSecond)} msg/s in the busiest second`}`,
    );
    console.log(
      '  no limit configured: target not measurable. Neither apps/gateway/src/delivery-worker.ts nor\n' +
        '  packages/channel-telegram paces sends (no global ~30 msg/s, no ~1 msg/s per chat): the worker sends\n' +
        '  as fast as the database and the Bot API answer. Only 429 retry_after is honoured, after the fact.',
    );
    record({
      measure: 'outbound to fake Telegram vs a configured limit',
      figure: `${fmt(figures.perSecond)} msg/s ${figures.seconds < 1 ? '' : `(peak ${fmt(figures.peakPerSecond)}/s)`}`,
      target: '≥ 0.95 × limit, never above',
      ratio: 'no limit configured: target not measurable',
      met: 'no',
    });
  } finally {
    if (!postgres) {
      await database.close();
      await rm(dataDir as string, { recursive: true, force: true });
    }
  }
}
