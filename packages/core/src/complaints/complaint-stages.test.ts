import { describe, expect, it } from 'vitest';
import {
  COMPLAINT_STATUSES,
  canMoveComplaint,
  isFinalComplaintStatus,
  stageDueAt,
} from './complaint-stages.ts';

describe('complaint stages', () => {
  it.each([
    ['received', 'verified', true],
    ['received', 'rejected', true],
    ['received', 'in_follow_up', false],
    ['received', 'resolved', false],
    ['verified', 'in_follow_up', true],
    ['verified', 'received', false],
    ['in_follow_up', 'resolved', true],
    ['in_follow_up', 'rejected', true],
    ['resolved', 'rejected', false],
    ['rejected', 'received', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(canMoveComplaint(from, to)).toBe(allowed);
  });

  it('ends at resolved or rejected', () => {
    expect(COMPLAINT_STATUSES.filter(isFinalComplaintStatus)).toEqual(['resolved', 'rejected']);
  });

  it('gives each open stage a due time in working days, and final ones none', () => {
    const calendar = {
      addWorkingDays: (from: Date, days: number) => new Date(from.getTime() + days * 86_400_000),
    };
    const at = new Date('2026-03-02T02:00:00Z');
    expect(stageDueAt('received', at, calendar)).toEqual(new Date('2026-03-05T02:00:00Z'));
    expect(stageDueAt('verified', at, calendar)).toEqual(new Date('2026-03-07T02:00:00Z'));
    expect(stageDueAt('resolved', at, calendar)).toBeNull();
  });
});
