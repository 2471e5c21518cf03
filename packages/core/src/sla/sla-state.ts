import type { OfficePolicy } from '../policy/office-policy.ts';
import { durationMs } from './duration.ts';

export type SlaState = 'on_track' | 'warning' | 'breached' | 'met';

export type SlaDeadlines = { firstResponseDueAt: Date; slaWarnAt: Date };

/** The first-response promise of a ticket opened at `startedAt` (PT72H by default). */
export function firstResponseDeadlines(startedAt: Date, policy: OfficePolicy): SlaDeadlines {
  const total = durationMs(policy.sla.firstResponse);
  return {
    firstResponseDueAt: new Date(startedAt.getTime() + total),
    slaWarnAt: new Date(startedAt.getTime() + Math.round(total * policy.sla.warnAt)),
  };
}

export function slaStateAt(
  ticket: { firstResponseDueAt: Date; slaWarnAt: Date; firstRespondedAt: Date | null },
  now: Date,
): SlaState {
  if (ticket.firstRespondedAt) return 'met';
  if (now.getTime() >= ticket.firstResponseDueAt.getTime()) return 'breached';
  if (now.getTime() >= ticket.slaWarnAt.getTime()) return 'warning';
  return 'on_track';
}
