import {
  type Clock,
  complaintContextFor,
  type InboxStore,
  type Logger,
  type PeriodicJobs,
  type PolicySource,
  sweepSla,
} from '@loket/core';
import type { GatewayObserver } from './observer.ts';
import { startPeriodicJob } from './periodic-job.ts';

const LOGGED_NUMBERS = 20;

export type SlaClock = { runOnce(): Promise<void>; stop(): Promise<void> };

/**
 * Runs the SLA sweep on an interval: warnings, breaches (each opening a pengaduan the citizen is told
 * about) and overdue complaint stages. It runs once at start, so a breach that happened while the
 * server was down is applied at boot. The sweep claims each transition in the database, so running
 * it in several gateways at once is safe.
 */
export function startSlaClock(deps: {
  store: InboxStore;
  clock: Clock;
  policy: PolicySource;
  logger: Logger;
  intervalMs: number;
  /** The job queue the sweep runs on. */
  jobs: PeriodicJobs;
  onNotified: () => void;
  observer?: GatewayObserver;
}): SlaClock {
  async function runOnce(): Promise<void> {
    const policy = await deps.policy.current();
    const result = await sweepSla({
      store: deps.store,
      clock: deps.clock,
      context: complaintContextFor(policy, deps.clock.now()),
    });
    // One line per kind and pass, with the first numbers: a backlog of 100k is not 100k log lines.
    const sample = (numbers: string[]) => ({
      count: numbers.length,
      first: numbers.slice(0, LOGGED_NUMBERS),
    });
    if (result.warned.length) deps.logger.info(sample(result.warned.map((t) => t.number)), 'sla.warning');
    if (result.breached.length)
      deps.logger.warn(sample(result.breached.map((t) => t.number)), 'sla.breached');
    if (result.escalated.length) {
      deps.logger.warn(sample(result.escalated.map((c) => c.number)), 'complaint stage overdue: escalated');
    }
    if (result.warned.length) deps.observer?.slaWarned?.(result.warned.length);
    if (result.breached.length) deps.observer?.slaBreached?.(result.breached.length);
    if (result.complaints.length) deps.onNotified();
  }

  const job = startPeriodicJob({
    name: 'SLA sweep',
    queue: 'sla-sweep',
    intervalMs: deps.intervalMs,
    jobs: deps.jobs,
    logger: deps.logger,
    work: runOnce,
  });

  return {
    runOnce,
    stop: () => job.stop(),
  };
}
