/** The channel was stopped while waiting; loops unwind on it without reporting a failure. */
export class AbortedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'AbortedError';
  }
}

/**
 * Settles with `promise`, or rejects with AbortedError as soon as `signal` fires. The library's HTTP
 * calls cannot be cancelled, so a call still running at stop() is left to finish on its own and its
 * answer is ignored; stop() stays prompt.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(new AbortedError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** `ms` ± `fraction`, so polls from many offices do not line up and do not look scripted. */
export function withJitter(ms: number, fraction = 0.2): number {
  return Math.max(0, Math.round(ms * (1 + (Math.random() * 2 - 1) * fraction)));
}
