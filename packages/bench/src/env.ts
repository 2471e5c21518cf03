// The benchmark's only configuration: a PostgreSQL server to measure beside the embedded database.
export const benchEnv = {
  postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
  messages: Number(process.env.BENCH_MESSAGES ?? 2000),
};

/** The environment a child `pnpm start` inherits, without DATABASE_URL: it measures the embedded default. */
export function childEnvironment(extra: Record<string, string>): Record<string, string | undefined> {
  const { DATABASE_URL: _unused, ...rest } = process.env;
  return { ...rest, ...extra };
}
