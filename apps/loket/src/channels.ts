import type { ChannelWebhook, MetaWebhook, WhatsAppPairing } from '@loket/api';
import {
  answerSubscription,
  createInstagramGraphChannel,
  createWhatsAppCloudChannel,
  type MetaChannel,
} from '@loket/channel-meta';
import type { TelegramChannel } from '@loket/channel-telegram';
import type { WhatsAppChannel } from '@loket/channel-whatsapp';
import { type ChannelConfigs, type Logger, linkIdentities, readChannelConfig } from '@loket/core';
import type { Repositories } from '@loket/db';
import type { ChannelFactories, ChannelSupervisor } from '@loket/gateway';
import type { Env } from './env.ts';
import { type LazyChannel, lazyChannel } from './lazy-channel.ts';

/**
 * The adapters this server can run, built from the environment. A channel without credentials is absent.
 * The SDK-backed ones load their package when they first start (lazy-channel.ts); the settings are
 * checked at once, so bad ones still fail the build of the adapter.
 */
export function channelFactories(env: Env, logger: Logger, repos: Repositories): ChannelFactories {
  // WhatsApp needs no credentials here: the number is linked at runtime (QR or pairing code).
  const factories: ChannelFactories = {
    whatsapp: (stored) => {
      const config = readChannelConfig('whatsapp', stored);
      return lazyChannel('whatsapp', () => whatsappChannel(env, logger, repos, config));
    },
  };
  const token = env.TELEGRAM_BOT_TOKEN;
  if (token) {
    factories.telegram = (stored) => {
      const config = readChannelConfig('telegram', stored);
      return lazyChannel('telegram', async () =>
        (await import('@loket/channel-telegram')).createTelegramChannel({
          ...config,
          token,
          apiRoot: env.TELEGRAM_API_ROOT,
          mode:
            env.TELEGRAM_WEBHOOK_URL && env.TELEGRAM_WEBHOOK_SECRET
              ? { webhookUrl: env.TELEGRAM_WEBHOOK_URL, secretToken: env.TELEGRAM_WEBHOOK_SECRET }
              : 'polling',
          maxFileBytes: env.MAX_ATTACHMENT_BYTES,
          logger: logger.child({ channel: 'telegram' }),
        }),
      );
    };
  }
  if (env.INSTAGRAM_USERNAME && env.INSTAGRAM_PASSWORD) {
    const { INSTAGRAM_USERNAME: username, INSTAGRAM_PASSWORD: password } = env;
    factories.instagram = (stored) => {
      const config = readChannelConfig('instagram', stored);
      return lazyChannel('instagram', async () =>
        (await import('@loket/channel-instagram')).createInstagramChannel({
          username,
          password,
          session: repos.channelSessions,
          apiRoot: env.INSTAGRAM_API_ROOT,
          pollIntervalMs: env.INSTAGRAM_POLL_INTERVAL_MS,
          approveRequests: env.INSTAGRAM_APPROVE_REQUESTS,
          ...config,
          maxMediaBytes: env.MAX_ATTACHMENT_BYTES,
          logger: logger.child({ channel: 'instagram' }),
        }),
      );
    };
  }
  const cloud = whatsappCloudConfig(env);
  if (cloud) {
    factories['whatsapp-cloud'] = () =>
      createWhatsAppCloudChannel({
        ...cloud,
        graphApiRoot: env.WHATSAPP_CLOUD_API_ROOT,
        graphApiVersion: env.META_GRAPH_API_VERSION,
        maxMediaBytes: env.MAX_ATTACHMENT_BYTES,
        logger: logger.child({ channel: 'whatsapp-cloud' }),
      });
  }
  const graph = instagramGraphConfig(env);
  if (graph) {
    factories['instagram-graph'] = () =>
      createInstagramGraphChannel({
        ...graph,
        graphApiRoot: env.INSTAGRAM_GRAPH_API_ROOT,
        graphApiVersion: env.META_GRAPH_API_VERSION,
        humanAgentTag: env.INSTAGRAM_GRAPH_HUMAN_AGENT,
        maxMediaBytes: env.MAX_ATTACHMENT_BYTES,
        logger: logger.child({ channel: 'instagram-graph' }),
      });
  }
  return factories;
}

function whatsappCloudConfig(env: Env) {
  const accessToken = env.WHATSAPP_CLOUD_ACCESS_TOKEN;
  const phoneNumberId = env.WHATSAPP_CLOUD_PHONE_NUMBER_ID;
  const appSecret = env.WHATSAPP_CLOUD_APP_SECRET;
  const verifyToken = env.WHATSAPP_CLOUD_VERIFY_TOKEN;
  if (!accessToken || !phoneNumberId || !appSecret || !verifyToken) return null;
  return { accessToken, phoneNumberId, appSecret, verifyToken };
}

function instagramGraphConfig(env: Env) {
  const accessToken = env.INSTAGRAM_GRAPH_ACCESS_TOKEN;
  const accountId = env.INSTAGRAM_GRAPH_ACCOUNT_ID;
  const appSecret = env.INSTAGRAM_GRAPH_APP_SECRET;
  const verifyToken = env.INSTAGRAM_GRAPH_VERIFY_TOKEN;
  if (!accessToken || !accountId || !appSecret || !verifyToken) return null;
  return { accessToken, accountId, appSecret, verifyToken };
}

/**
 * The Meta webhooks mounted on the API, for the channels configured here. The subscription check is
 * answered from the configuration even while the channel is off (Meta checks once, at setup); events
 * reach whichever adapter the supervisor runs now, and get 503 while it is off, so Meta redelivers
 * them once it is back on.
 */
export function metaWebhooks(
  env: Env,
  supervisor: ChannelSupervisor,
): { 'whatsapp-cloud'?: MetaWebhook; 'instagram-graph'?: MetaWebhook } {
  const webhook = (channel: 'whatsapp-cloud' | 'instagram-graph', verifyToken: string): MetaWebhook => ({
    verify: (query) => answerSubscription(query, verifyToken),
    handle: async (request) => {
      const adapter = supervisor.adapterOf(channel) as MetaChannel | undefined;
      if (!adapter) return { status: 503 };
      return adapter.handleWebhook(request);
    },
  });
  const cloud = whatsappCloudConfig(env);
  const graph = instagramGraphConfig(env);
  return {
    ...(cloud ? { 'whatsapp-cloud': webhook('whatsapp-cloud', cloud.verifyToken) } : {}),
    ...(graph ? { 'instagram-graph': webhook('instagram-graph', graph.verifyToken) } : {}),
  };
}

/** The Telegram webhook mounted on the API: it reaches whichever adapter the supervisor runs now. */
export function telegramWebhook(supervisor: ChannelSupervisor): ChannelWebhook {
  return async ({ headers, body }) => {
    const adapter = supervisor.adapterOf('telegram') as LazyChannel<TelegramChannel> | undefined;
    if (!adapter) return { status: 503 };
    return (await adapter.ready()).handleWebhook(
      headers.get('x-telegram-bot-api-secret-token') ?? undefined,
      body,
    );
  };
}

/** The WhatsApp adapter, its session kept in the database; baileys is imported here, on first use. */
export async function whatsappChannel(
  env: Env,
  logger: Logger,
  repos: Repositories,
  config: ChannelConfigs['whatsapp'] = {},
): Promise<WhatsAppChannel> {
  const { createWhatsAppChannel } = await import('@loket/channel-whatsapp');
  return createWhatsAppChannel({
    session: repos.channelSessions,
    ...(env.WHATSAPP_WS_URL ? { waWebSocketUrl: env.WHATSAPP_WS_URL } : {}),
    ...(env.WHATSAPP_TRUSTED_ROOT_KEY
      ? { trustedRootPublicKey: Buffer.from(env.WHATSAPP_TRUSTED_ROOT_KEY, 'hex') }
      : {}),
    acceptGroups: config.acceptGroups ?? env.WHATSAPP_ACCEPT_GROUPS,
    maxMediaBytes: env.MAX_ATTACHMENT_BYTES,
    pacing: {
      perChatIntervalMs: config.perChatIntervalMs ?? env.WHATSAPP_PER_CHAT_INTERVAL_MS,
      globalPerMinute: config.globalPerMinute ?? env.WHATSAPP_GLOBAL_PER_MINUTE,
    },
    logger: logger.child({ channel: 'whatsapp' }),
    onIdentityLink: (lid, pn) =>
      linkIdentities({ store: repos.inbox, channel: 'whatsapp', externalUserIds: [lid, pn] }),
  });
}

/** Pairing over the admin API: whichever WhatsApp adapter the supervisor runs now. */
export function whatsappPairing(supervisor: ChannelSupervisor): WhatsAppPairing {
  const adapter = () => supervisor.adapterOf('whatsapp') as LazyChannel<WhatsAppChannel> | undefined;
  return {
    state: () => {
      const running = adapter();
      // Until baileys has loaded there is no QR yet, the same as just after a start.
      return { running: Boolean(running), qr: running?.loaded()?.currentQr() ?? null };
    },
    requestPairingCode: async (phoneNumber) => {
      const running = adapter();
      if (!running) throw new Error('WhatsApp is not running');
      return (await running.ready()).requestPairingCode(phoneNumber);
    },
  };
}
