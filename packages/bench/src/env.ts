// The benchmark's only configuration: a PostgreSQL server to measure beside the embedded database,
// and the sizes of each measure (smaller for quick runs).
const number = (value: string | undefined, fallback: number) => {
  const parsed = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(parsed) && parsed >= 0 ? parsed : fallback;
};

const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;

export const benchEnv = {
  postgresUrl,
  messages: number(process.env.BENCH_MESSAGES, 2000),
  /** Tickets seeded for `GET /v1/tickets` and the SLA sweep (PostgreSQL only). */
  tickets: number(process.env.BENCH_TICKETS, 1_000_000),
  /** Due tickets per SLA sweep case, comma-separated. */
  slaDue: (process.env.BENCH_SLA_DUE ?? '1000,10000,100000')
    .split(',')
    .map((value) => number(value.trim(), 0))
    .filter((value) => value > 0),
  /** A sweep case stops after this many seconds and reports how far it got (the 100k case is long). */
  slaCapSeconds: number(process.env.BENCH_SLA_CAP_SECONDS, 180),
  /** Seconds of autocannon load per target. */
  loadSeconds: number(process.env.BENCH_LOAD_SECONDS, 10),
  loadConnections: number(process.env.BENCH_LOAD_CONNECTIONS, 32),
  /** Citizens whose replies (two each) go through the fake Telegram unpaced: the worker's ceiling. */
  outbound: number(process.env.BENCH_OUTBOUND, 2000),
  /** Telegram pacing limits (messages per second) measured against, comma-separated. */
  outboundLimits: (process.env.BENCH_OUTBOUND_LIMITS ?? '30,200')
    .split(',')
    .map((value) => number(value.trim(), 0))
    .filter((value) => value > 0),
  /** Seconds over which the paced rate is measured (the queue lasts two seconds longer). */
  outboundWindowSeconds: number(process.env.BENCH_OUTBOUND_WINDOW, 8),
  /** BENCH_ONLY=limit,tickets,sla,outbound,startup,rss,ingest runs only those (all when unset). */
  only: (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean),
};

export function enabled(measure: string): boolean {
  return benchEnv.only.length === 0 || benchEnv.only.includes(measure);
}

/** The environment a child `pnpm start` inherits, without DATABASE_URL: it measures the embedded default. */
export function childEnvironment(extra: Record<string, string>): Record<string, string | undefined> {
  const { DATABASE_URL: _unused, ...rest } = process.env;
  return { ...rest, ...extra };
}
