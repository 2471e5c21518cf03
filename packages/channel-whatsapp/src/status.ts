import type { ChannelState, ChannelStatus } from '@loket/core';

export type StatusReporter = (state: ChannelState, detail?: string) => void;

/**
 * Reports a status only when the state or its detail changes, so a reconnect loop does not flood the
 * supervisor, while a new reason (another close code, the next wait) still reaches the admin.
 */
export function createStatusReporter(onStatus: (status: ChannelStatus) => void): StatusReporter {
  let last: ChannelStatus | undefined;
  return (state, detail) => {
    if (last && last.state === state && last.detail === detail) return;
    last = detail === undefined ? { state } : { state, detail };
    try {
      onStatus(last);
    } catch {
      // A failing status listener must not take the connection loop down with it.
    }
  };
}
