import { BusinessCalendar } from '../calendar/business-calendar.ts';
import { describeOpening } from '../calendar/describe-opening.ts';
import type { OfficePolicy } from '../policy/office-policy.ts';
import type { ComplaintContext } from './open-complaint.ts';

const DAY_MS = 86_400_000;

/**
 * Complaint deadlines on the office calendar of `policy`. An office with no service days at all
 * (a misconfiguration) still gets deadlines, counted in calendar days, rather than none.
 */
export function complaintContextFor(policy: OfficePolicy, now: Date): ComplaintContext {
  const calendar = new BusinessCalendar(policy);
  return {
    timezone: policy.timezone,
    calendar: {
      addWorkingDays: (from, days) =>
        calendar.addWorkingDays(from, days) ?? new Date(from.getTime() + days * DAY_MS),
    },
    describeTime: (at) => describeOpening(at, { timezone: policy.timezone, now }),
    templates: policy.templates,
  };
}
