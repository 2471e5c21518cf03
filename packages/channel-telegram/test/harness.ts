import type { Recorder } from '@loket/testkit';

export { type Recorder, recordingContext } from '@loket/testkit';

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
