import { describe, expect, it } from 'vitest';
import { wantsEvent, webhookRetryDelayMs } from './webhook-endpoints.ts';

describe('webhookRetryDelayMs', () => {
  it('doubles from 5 s, between half and all of the step', () => {
    expect(webhookRetryDelayMs(1, { random: () => 0 })).toBe(2_500);
    expect(webhookRetryDelayMs(1, { random: () => 1 })).toBe(5_000);
    expect(webhookRetryDelayMs(2, { random: () => 1 })).toBe(10_000);
    expect(webhookRetryDelayMs(4, { random: () => 0.5 })).toBe(30_000);
  });

  it('never rests longer than an hour, however many failures', () => {
    expect(webhookRetryDelayMs(11, { random: () => 1 })).toBe(3_600_000);
    expect(webhookRetryDelayMs(10_000, { random: () => 1 })).toBe(3_600_000);
    expect(webhookRetryDelayMs(10_000, { random: () => 0 })).toBe(1_800_000);
  });

  it('takes its own first step and cap (tests use short ones)', () => {
    expect(webhookRetryDelayMs(3, { firstRetryMs: 10, maxRetryMs: 30, random: () => 1 })).toBe(30);
  });
});

describe('wantsEvent', () => {
  it('wants everything when the list is empty, else only what is listed', () => {
    expect(wantsEvent({ events: [] }, 'sla.breached')).toBe(true);
    expect(wantsEvent({ events: ['ticket.created'] }, 'ticket.created')).toBe(true);
    expect(wantsEvent({ events: ['ticket.created'] }, 'message.created')).toBe(false);
  });
});
