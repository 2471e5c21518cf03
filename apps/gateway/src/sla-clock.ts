import {
  type Clock,
  complaintContextFor,
  type InboxStore,
  type Logger,
  type PolicySource,
  sweepSla,
} from '@loket/core';
import type { GatewayObserver } from './observer.ts';
import { startPeriodicJob } from './periodic-job.ts';

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
    for (const ticket of result.warned) deps.logger.info({ ticket: ticket.number }, 'sla.warning');
    for (const ticket of result.breached) deps.logger.warn({ ticket: ticket.number }, 'sla.breached');
    for (const complaint of result.escalated) {
      deps.logger.warn(
        { complaint: complaint.number, status: complaint.status },
        'complaint stage overdue: escalated',
      );
    }
    if (result.warned.length) deps.observer?.slaWarned?.(result.warned.length);
    if (result.breached.length) deps.observer?.slaBreached?.(result.breached.length);
    if (result.complaints.length) deps.onNotified();
  }

  const job = startPeriodicJob({
    name: 'SLA sweep',
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    work: runOnce,
  });

  return {
    runOnce,
    stop: () => job.stop(),
  };
}
