import type { ChannelWebhook, WhatsAppPairing } from '@loket/api';
import { createTelegramChannel, type TelegramChannel } from '@loket/channel-telegram';
import { createWhatsAppChannel, type WhatsAppChannel } from '@loket/channel-whatsapp';
import { type Logger, linkIdentities } from '@loket/core';
import type { Repositories } from '@loket/db';
import type { ChannelFactories, ChannelSupervisor } from '@loket/gateway';
import type { Env } from './env.ts';

/** The adapters this server can run, built from the environment. A channel without credentials is absent. */
export function channelFactories(env: Env, logger: Logger, repos: Repositories): ChannelFactories {
  // WhatsApp needs no credentials here: the number is linked at runtime (QR or pairing code).
  const factories: ChannelFactories = { whatsapp: () => whatsappChannel(env, logger, repos) };
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

/** The WhatsApp adapter, its session kept in the database. */
export function whatsappChannel(env: Env, logger: Logger, repos: Repositories): WhatsAppChannel {
  return createWhatsAppChannel({
    session: repos.channelSessions,
    ...(env.WHATSAPP_WS_URL ? { waWebSocketUrl: env.WHATSAPP_WS_URL } : {}),
    ...(env.WHATSAPP_TRUSTED_ROOT_KEY
      ? { trustedRootPublicKey: Buffer.from(env.WHATSAPP_TRUSTED_ROOT_KEY, 'hex') }
      : {}),
    acceptGroups: env.WHATSAPP_ACCEPT_GROUPS,
    maxMediaBytes: env.MAX_ATTACHMENT_BYTES,
    pacing: {
      perChatIntervalMs: env.WHATSAPP_PER_CHAT_INTERVAL_MS,
      globalPerMinute: env.WHATSAPP_GLOBAL_PER_MINUTE,
    },
    logger: logger.child({ channel: 'whatsapp' }),
    onIdentityLink: (lid, pn) =>
      linkIdentities({ store: repos.inbox, channel: 'whatsapp', externalUserIds: [lid, pn] }),
  });
}

/** Pairing over the admin API: whichever WhatsApp adapter the supervisor runs now. */
export function whatsappPairing(supervisor: ChannelSupervisor): WhatsAppPairing {
  const adapter = () => supervisor.adapterOf('whatsapp') as WhatsAppChannel | undefined;
  return {
    state: () => {
      const running = adapter();
      return { running: Boolean(running), qr: running?.currentQr() ?? null };
    },
    requestPairingCode: async (phoneNumber) => {
      const running = adapter();
      if (!running) throw new Error('WhatsApp is not running');
      return running.requestPairingCode(phoneNumber);
    },
  };
}
