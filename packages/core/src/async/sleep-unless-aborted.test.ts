import { describe, expect, it } from 'vitest';
import { sleepUnlessAborted as sleep } from './sleep-unless-aborted.ts';

describe('sleep', () => {
  it('ends early with false when aborted', async () => {
    const controller = new AbortController();
    // Longer than the test's own timeout: only ending early lets it pass.
    const slept = sleep(120_000, controller.signal);
    controller.abort();
    expect(await slept).toBe(false);
    expect(await sleep(1, new AbortController().signal)).toBe(true);
  });
});
