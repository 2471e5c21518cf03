import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEBHOOK_DISABLE_AFTER_MS,
  wantsEvent,
  webhookDisabledAudit,
  webhookDisabledReason,
  webhookFailedTooLong,
  webhookRetryDelayMs,
} from './webhook-endpoints.ts';

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

describe('switching a failing endpoint off', () => {
  const since = new Date('2026-03-02T02:00:00Z');
  const after = (ms: number) => new Date(since.getTime() + ms);

  it('happens once it has failed for the whole threshold, 3 days by default', () => {
    const threeDays = DEFAULT_WEBHOOK_DISABLE_AFTER_MS;
    expect(threeDays).toBe(259_200_000);
    expect(webhookFailedTooLong(since, after(threeDays - 1), threeDays)).toBe(false);
    expect(webhookFailedTooLong(since, after(threeDays), threeDays)).toBe(true);
    expect(webhookFailedTooLong(since, after(60_000), 60_000)).toBe(true);
  });

  it('says how long it failed and the last error, in the unit an admin reads at a glance', () => {
    expect(webhookDisabledReason(since, after(3 * 86_400_000 + 5_000), 'HTTP 503')).toBe(
      'no delivery for 3 days; last error: HTTP 503',
    );
    expect(webhookDisabledReason(since, after(30 * 3_600_000), 'HTTP 500')).toBe(
      'no delivery for 30 h; last error: HTTP 500',
    );
    expect(webhookDisabledReason(since, after(10 * 60_000), 'network error: ECONNREFUSED')).toBe(
      'no delivery for 10 min; last error: network error: ECONNREFUSED',
    );
  });

  it('is audited as Loket itself, with the state that led to it', () => {
    expect(
      webhookDisabledAudit('w1', after(1), {
        failingSince: since,
        failures: 80,
        lastEventId: '42',
        lastError: 'HTTP 503',
      }),
    ).toEqual({
      actorId: null,
      action: 'webhook.disabled',
      target: 'webhook:w1',
      at: after(1),
      meta: { failingSince: since.toISOString(), failures: 80, lastEventId: '42', lastError: 'HTTP 503' },
    });
  });
});
