import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy } from '../policy/office-policy.ts';
import { parseDuration } from './duration.ts';
import { firstResponseDeadlines, slaStateAt } from './sla-state.ts';

const opened = new Date('2026-03-02T02:00:00Z');
const hours = (n: number) => new Date(opened.getTime() + n * 3_600_000);

describe('first-response SLA', () => {
  it('promises 3x24 hours by default and warns at 80%', () => {
    const deadlines = firstResponseDeadlines(opened, DEFAULT_OFFICE_POLICY);
    expect(deadlines.firstResponseDueAt).toEqual(hours(72));
    expect(deadlines.slaWarnAt).toEqual(new Date(opened.getTime() + 0.8 * 72 * 3_600_000));
  });

  it.each([
    [1, null, 'on_track'],
    [57.5, null, 'on_track'],
    [57.6, null, 'warning'],
    [71.99, null, 'warning'],
    [72, null, 'breached'],
    [200, null, 'breached'],
    [80, hours(2), 'met'],
  ] as const)('at %s hours with first response %s it is %s', (at, respondedAt, state) => {
    const ticket = {
      ...firstResponseDeadlines(opened, DEFAULT_OFFICE_POLICY),
      firstRespondedAt: respondedAt,
    };
    expect(slaStateAt(ticket, hours(at))).toBe(state);
  });

  it('follows the policy duration (PT2S in tests)', () => {
    const policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, { sla: { firstResponse: 'PT2S' } });
    expect(firstResponseDeadlines(opened, policy).firstResponseDueAt).toEqual(
      new Date(opened.getTime() + 2000),
    );
  });
});

describe('parseDuration', () => {
  it.each([
    ['PT72H', 72 * 3_600_000],
    ['P3D', 3 * 86_400_000],
    ['PT2S', 2000],
    ['P1DT12H30M', 86_400_000 + 12.5 * 3_600_000],
    ['P1W', 7 * 86_400_000],
  ])('%s', (value, ms) => expect(parseDuration(value)).toBe(ms));

  it.each(['', 'P', 'PT', '72h', 'PT0S', 'P-1D', 'PT72H '])('rejects %j', (value) => {
    expect(parseDuration(value)).toBeNull();
  });
});
