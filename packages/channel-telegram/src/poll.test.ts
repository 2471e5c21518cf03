import type { ChannelStatus } from '@loket/core';
import { sleepUnlessAborted as sleep } from '@loket/core';
import { describe, expect, it } from 'vitest';
import { backoffDelay, createStatusReporter } from './poll.ts';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const backoff = { initialDelayMs: 1000, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, backoff))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000,
    ]);
  });
});

describe('createStatusReporter', () => {
  it('reports only changes of state and survives a throwing listener', () => {
    const seen: ChannelStatus[] = [];
    const report = createStatusReporter((status) => {
      seen.push(status);
      if (status.state === 'error') throw new Error('listener bug');
    });
    report('starting');
    report('connected');
    report('connected');
    report('disconnected', 'getUpdates failed: socket hang up');
    report('disconnected', 'getUpdates failed: Bad Gateway');
    expect(() => report('error', 'boom')).not.toThrow();
    expect(seen).toEqual([
      { state: 'starting' },
      { state: 'connected' },
      { state: 'disconnected', detail: 'getUpdates failed: socket hang up' },
      { state: 'error', detail: 'boom' },
    ]);
  });
});

describe('sleep', () => {
  it('ends early with false when aborted', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, controller.signal);
    controller.abort();
    expect(await slept).toBe(false);
    expect(Date.now() - started).toBeLessThan(100);
    expect(await sleep(1, new AbortController().signal)).toBe(true);
  });
});
