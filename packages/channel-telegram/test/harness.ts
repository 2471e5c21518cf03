import type { ChannelStartContext, ChannelStatus, InboundMessage } from '@loket/core';
import type { FakeSender, FakeTelegram } from '@loket/testkit';
import { createTelegramChannel, type TelegramChannel, type TelegramChannelConfig } from '../src/index.ts';

/** Short waits so retry paths run in milliseconds; the production defaults are seconds. */
export const fastBackoff = { initialDelayMs: 20, maxDelayMs: 100 };

export const siti: FakeSender = {
  id: 5_551_234,
  firstName: 'Siti',
  lastName: 'Rahayu',
  username: 'sitirahayu',
};
export const budi: FakeSender = { id: 5_559_876, firstName: 'Budi' };

export type Recorder = {
  ctx: ChannelStartContext;
  controller: AbortController;
  /** Messages whose onMessage resolved, i.e. "stored". */
  stored: InboundMessage[];
  /** Every onMessage call, including the ones that threw. */
  attempts: InboundMessage[];
  statuses: ChannelStatus[];
  rejected: { reason: string; detail?: Record<string, unknown> }[];
};

/** A start context that records everything; `store` decides per call whether storing succeeds. */
export function recordingContext(
  store: (message: InboundMessage, attempt: number) => Promise<void> = async () => {},
) {
  const controller = new AbortController();
  const recorder: Recorder = {
    controller,
    stored: [],
    attempts: [],
    statuses: [],
    rejected: [],
    ctx: {
      signal: controller.signal,
      onMessage: async (message) => {
        recorder.attempts.push(message);
        await store(message, recorder.attempts.length);
        recorder.stored.push(message);
      },
      onStatus: (status) => recorder.statuses.push(status),
      onRejected: (reason, detail) =>
        recorder.rejected.push(detail === undefined ? { reason } : { reason, detail }),
    },
  };
  return recorder;
}

export function pollingChannel(
  fake: FakeTelegram,
  overrides: Partial<TelegramChannelConfig> = {},
): TelegramChannel {
  return createTelegramChannel({
    token: fake.token,
    apiRoot: fake.apiRoot,
    mode: 'polling',
    pollTimeoutSeconds: 5,
    backoff: fastBackoff,
    ...overrides,
  });
}

export function states(recorder: Recorder): string[] {
  return recorder.statuses.map((status) => status.state);
}
