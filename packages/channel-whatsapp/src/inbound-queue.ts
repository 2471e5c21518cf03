import { sleepUnlessAborted } from '@loket/core';
import { backoffDelay } from './reconnect-policy.ts';
import type { RetryBackoff } from './types.ts';

export type OrderedRetryQueue<T> = {
  push(item: T): void;
  /** Items not yet handled, the one in progress included. */
  size(): number;
};

/** Settles with the promise, or with 'aborted' as soon as the signal fires, whichever comes first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Hands items to `handle` one at a time, in arrival order, and retries a failing item with capped
 * backoff until it succeeds or `signal` aborts; the items after it wait, so order is kept. A handle
 * call still running at abort is left to finish on its own, which keeps stop() prompt.
 */
export function createOrderedRetryQueue<T>(options: {
  handle(item: T): Promise<void>;
  signal: AbortSignal;
  backoff: RetryBackoff;
  onRetry?(item: T, attempt: number, error: unknown, delayMs: number): void;
}): OrderedRetryQueue<T> {
  const items: T[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (items.length > 0 && !options.signal.aborted) {
        const item = items[0] as T;
        for (let attempt = 1; ; attempt += 1) {
          try {
            if ((await untilAborted(options.handle(item), options.signal)) === 'aborted') return;
            break;
          } catch (error) {
            const delayMs = backoffDelay(attempt, options.backoff);
            options.onRetry?.(item, attempt, error, delayMs);
            if (!(await sleepUnlessAborted(delayMs, options.signal))) return;
          }
        }
        items.shift();
      }
    } finally {
      running = false;
    }
  }

  return {
    push(item) {
      items.push(item);
      if (!running) void drain();
    },
    size: () => items.length,
  };
}
