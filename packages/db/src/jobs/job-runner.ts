import type { PeriodicJobs } from '@loket/core';
import PgBoss from 'pg-boss';
import type { JobExecutor } from './pg-boss-sql.ts';

/** How pg-boss reaches the database: its own pool on PostgreSQL, the shared instance on PGlite. */
export type JobConnection = { connectionString: string } | { db: JobExecutor };

export type JobRunnerLogger = {
  warn(detail: object, message: string): void;
  error(detail: object, message: string): void;
};

export type PeriodicJob = { stop(): Promise<void> };

/**
 * `every` runs `work` about every `intervalMs`, and once at start, on one gateway at a time however
 * many run: each gateway's timer only proposes a run, and the queue (policy `stately`: one waiting,
 * one running) keeps a single one. A run whose gateway died expires and is retried by another.
 */
export type JobRunner = PeriodicJobs & { stop(): Promise<void> };

/**
 * A started pg-boss for a gateway: the supervisor (expires jobs whose worker died so they are retried,
 * moves exhausted ones to their dead letter queue, archives finished ones) and the periodic sweeps.
 * The schema and queues come from our migrations, so it starts with `migrate: false` and fails
 * loudly if the database holds another pg-boss schema version.
 */
export async function startJobRunner(
  connection: JobConnection,
  options: { logger: JobRunnerLogger; maintenanceIntervalSeconds?: number },
): Promise<JobRunner> {
  const boss = new PgBoss({
    ...connection,
    ...('connectionString' in connection ? { max: 3 } : {}),
    migrate: false,
    supervise: true,
    schedule: false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 30,
    archiveCompletedAfterSeconds: 3600,
  });
  // pg-boss reports what fails in its background loops (a database restart) here; it keeps going.
  boss.on('error', (error) => options.logger.warn({ err: error.message }, 'job queue: background error'));
  await boss.start();
  const periodic = new Set<PeriodicJob>();

  return {
    async every(name, intervalMs, work) {
      if (!(await boss.getQueue(name)))
        throw new Error(`job queue ${name} does not exist (see the migrations)`);
      let running = Promise.resolve();
      const propose = () =>
        boss.send(name, {}).catch((error: Error) => {
          options.logger.warn({ job: name, err: error.message }, 'job queue: could not propose a run');
        });
      await boss.work(name, { pollingIntervalSeconds: Math.min(2, Math.max(0.5, intervalMs / 1000)) }, () => {
        // A failed run is logged, not retried at once: the next tick is the retry.
        running = work()
          .then(() => undefined)
          .catch((error: unknown) =>
            options.logger.error(
              { job: name, err: error instanceof Error ? error.message : String(error) },
              `${name} failed`,
            ),
          );
        return running;
      });
      await propose();
      const timer = setInterval(propose, intervalMs);
      const job: PeriodicJob = {
        async stop() {
          clearInterval(timer);
          periodic.delete(job);
          await boss.offWork(name);
          await running;
        },
      };
      periodic.add(job);
      return job;
    },
    async stop() {
      for (const job of [...periodic]) await job.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
