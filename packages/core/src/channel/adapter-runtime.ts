import type { ChannelState, ChannelStatus } from './types.ts';

/** How an adapter tells the supervisor its state; `detail` says why, for the admin. */
export type StatusReporter = (state: ChannelState, detail?: string) => void;

/**
 * Reports a status only when it changes, so a retry loop does not flood the supervisor. With
 * `newDetailIsNews` (the default) a new reason in the same state is reported too (the next backoff,
 * another close code); without it only a change of state is, with the detail that caused it.
 */
export function createStatusReporter(
  onStatus: (status: ChannelStatus) => void,
  options: { newDetailIsNews?: boolean } = {},
): StatusReporter {
  const newDetailIsNews = options.newDetailIsNews ?? true;
  let last: ChannelStatus | undefined;
  return (state, detail) => {
    if (last && last.state === state && (!newDetailIsNews || last.detail === detail)) return;
    last = detail === undefined ? { state } : { state, detail };
    try {
      onStatus(last);
    } catch {
      // A failing status listener must not take the adapter's loop down with it.
    }
  };
}

export type RetryBackoff = {
  /** First wait after a failure; doubles per consecutive failure. */
  initialDelayMs: number;
  maxDelayMs: number;
};

/** The wait before retry number `attempt` (1, 2, 3…): doubling from `initialDelayMs`, capped. */
export function backoffDelay(attempt: number, backoff: RetryBackoff): number {
  return Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** Math.max(attempt - 1, 0));
}
