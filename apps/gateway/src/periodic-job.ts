import type { Logger, PeriodicJobs } from '@loket/core';

export type PeriodicJob = { stop(): Promise<void> };

/**
 * Runs `work` on the job queue (see `PeriodicJobs`): once now, so what fell due while the server was
 * down is done at boot, then about every `intervalMs`, on one gateway at a time. A failed run is
 * logged and the next one comes at the next tick. `stop()` waits for a run in progress.
 */
export function startPeriodicJob(options: {
  name: string;
  /** The job queue it runs on. */
  queue: string;
  intervalMs: number;
  jobs: PeriodicJobs;
  logger: Logger;
  work: () => Promise<unknown>;
}): PeriodicJob {
  const registered = options.jobs
    .every(options.queue, options.intervalMs, options.work)
    .catch((error: unknown) => {
      options.logger.error({ err: error }, `${options.name} could not start on the job queue`);
      return null;
    });
  return {
    async stop() {
      await (await registered)?.stop();
    },
  };
}
