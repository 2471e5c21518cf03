import type { Logger } from '@loket/core';

export type PeriodicJob = { stop(): Promise<void> };

/**
 * Runs `work` once now (so what fell due while the server was down is done at boot), then again
 * `intervalMs` after each run ends, never two at once. A failed run is logged and the next one comes
 * at the next tick. `stop()` waits for a run in progress.
 */
export function startPeriodicJob(options: {
  name: string;
  intervalMs: number;
  logger: Logger;
  work: () => Promise<unknown>;
}): PeriodicJob {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const run = (failure: string) =>
    options
      .work()
      .then(() => undefined)
      .catch((error: unknown) => options.logger.error({ err: error }, `${options.name} ${failure}`))
      .finally(schedule);

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run('failed; retrying at the next tick');
    }, options.intervalMs);
  }

  running = run('at boot failed');

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
