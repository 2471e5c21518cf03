import { describe, expect, it } from 'vitest';
import { backoffDelay, createStatusReporter } from './adapter-runtime.ts';
import type { ChannelStatus } from './types.ts';

describe('createStatusReporter', () => {
  it('reports changes only, a new detail included by default', () => {
    const seen: ChannelStatus[] = [];
    const report = createStatusReporter((status) => seen.push(status));
    report('connecting');
    report('connecting');
    report('connected', 'as @kota.depok');
    report('connected', 'rate-limited, next poll in 60 s');
    report('connected', 'rate-limited, next poll in 60 s');
    expect(seen).toEqual([
      { state: 'connecting' },
      { state: 'connected', detail: 'as @kota.depok' },
      { state: 'connected', detail: 'rate-limited, next poll in 60 s' },
    ]);
  });

  it('can report changes of state only, and survives a failing listener', () => {
    const seen: ChannelStatus[] = [];
    const report = createStatusReporter(
      (status) => {
        seen.push(status);
        throw new Error('listener broke');
      },
      { newDetailIsNews: false },
    );
    report('disconnected', 'retry in 1 s');
    report('disconnected', 'retry in 2 s');
    report('connected');
    expect(seen).toEqual([{ state: 'disconnected', detail: 'retry in 1 s' }, { state: 'connected' }]);
  });
});

describe('backoffDelay', () => {
  it('doubles from the first wait and stops at the cap', () => {
    const backoff = { initialDelayMs: 1000, maxDelayMs: 5000 };
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, backoff))).toEqual([
      1000, 2000, 4000, 5000, 5000,
    ]);
  });
});
