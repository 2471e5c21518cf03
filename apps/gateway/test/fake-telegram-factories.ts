import { createTelegramChannel } from '@loket/channel-telegram';
import type { FakeTelegram } from '@loket/testkit';
import type { ChannelFactories } from '../src/index.ts';

/** The gateway's channel factories with Telegram on the fake Bot API, long polling with short polls. */
export function fakeTelegramFactories(fake: FakeTelegram): ChannelFactories {
  return {
    telegram: () =>
      createTelegramChannel({
        token: fake.token,
        apiRoot: fake.apiRoot,
        mode: 'polling',
        pollTimeoutSeconds: 1,
      }),
  };
}
