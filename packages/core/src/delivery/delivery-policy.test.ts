import { describe, expect, it } from 'vitest';
import { ChannelError } from '../channel/types.ts';
import { decideAfterFailure, MAX_DELIVERY_ATTEMPTS, statusesBelow } from './delivery-policy.ts';

describe('decideAfterFailure', () => {
  it('honours the platform retry_after', () => {
    const error = new ChannelError('telegram', 'Too Many Requests', { retryable: true, retryAfter: 7 });
    expect(decideAfterFailure(error, 1)).toEqual({
      action: 'retry',
      delayMs: 7000,
      reason: 'Too Many Requests',
    });
  });

  it('backs off exponentially, capped at five minutes', () => {
    const delays = [1, 2, 3, 4, 7].map((attempt) => {
      const decision = decideAfterFailure(new Error('ECONNRESET'), attempt);
      return decision.action === 'retry' ? decision.delayMs : null;
    });
    expect(delays).toEqual([1000, 2000, 4000, 8000, 64000]);
    const late = decideAfterFailure(
      new ChannelError('telegram', 'x', { retryable: true, retryAfter: 3600 }),
      1,
    );
    expect(late).toMatchObject({ action: 'retry', delayMs: 300_000 });
  });

  it('fails at once when retrying cannot help', () => {
    const blocked = new ChannelError('telegram', 'Forbidden: bot was blocked by the user', {
      retryable: false,
    });
    expect(decideAfterFailure(blocked, 1)).toEqual({
      action: 'fail',
      reason: 'Forbidden: bot was blocked by the user',
    });
  });

  it('gives up after the last attempt with the reason', () => {
    const decision = decideAfterFailure(new Error('timeout'), MAX_DELIVERY_ATTEMPTS);
    expect(decision).toEqual({
      action: 'fail',
      reason: `gave up after ${MAX_DELIVERY_ATTEMPTS} attempts: timeout`,
    });
  });
});

describe('statusesBelow', () => {
  it('lets a report move a message forward only', () => {
    expect(statusesBelow('delivered')).toEqual(['queued', 'sent']);
    expect(statusesBelow('read')).toContain('delivered');
    expect(statusesBelow('delivered')).not.toContain('read');
    expect(statusesBelow('failed')).not.toContain('read');
    expect(statusesBelow('sent')).toEqual(['queued']);
  });
});
