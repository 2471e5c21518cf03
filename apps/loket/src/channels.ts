import type { ChannelWebhook } from '@loket/api';
import { createTelegramChannel, type TelegramChannel } from '@loket/channel-telegram';
import type { Logger } from '@loket/core';
import type { ChannelFactories, ChannelSupervisor } from '@loket/gateway';
import type { Env } from './env.ts';

/** The adapters this server can run, built from the environment. A channel without credentials is absent. */
export function channelFactories(env: Env, logger: Logger): ChannelFactories {
  const factories: ChannelFactories = {};
  const token = env.TELEGRAM_BOT_TOKEN;
  if (token) {
    factories.telegram = () =>
      createTelegramChannel({
        token,
        apiRoot: env.TELEGRAM_API_ROOT,
        mode:
          env.TELEGRAM_WEBHOOK_URL && env.TELEGRAM_WEBHOOK_SECRET
            ? { webhookUrl: env.TELEGRAM_WEBHOOK_URL, secretToken: env.TELEGRAM_WEBHOOK_SECRET }
            : 'polling',
        maxFileBytes: env.MAX_ATTACHMENT_BYTES,
        logger: logger.child({ channel: 'telegram' }),
      });
  }
  return factories;
}

/** The Telegram webhook mounted on the API: it reaches whichever adapter the supervisor runs now. */
export function telegramWebhook(supervisor: ChannelSupervisor): ChannelWebhook {
  return async ({ headers, body }) => {
    const adapter = supervisor.adapterOf('telegram') as TelegramChannel | undefined;
    if (!adapter) return { status: 503 };
    return adapter.handleWebhook(headers.get('x-telegram-bot-api-secret-token') ?? undefined, body);
  };
}
