import { ChannelError, type InboundMessage, silentLogger } from '@loket/core';
import { requireNumericId, resolveCommonConfig } from '../config.ts';
import { createGraphClient } from '../graph-client.ts';
import { type ChannelRuntime, createChannelRuntime } from '../runtime.ts';
import { answerSubscription } from '../signature.ts';
import type { InstagramGraphConfig, MetaChannel, WebhookItem } from '../types.ts';
import { handleMetaWebhook } from '../webhook.ts';
import { collectInstagramItems, type UrlFetcherFor } from './normalize.ts';
import { createProfileDirectory } from './profiles.ts';
import { sendInstagramContent } from './send.ts';

const CHANNEL = 'instagram-graph';
const DEFAULT_GRAPH_API_ROOT = 'https://graph.instagram.com';

type AccountInfo = { user_id?: string | number; username?: string };

/** Instagram messaging through the Instagram API with Instagram Login: signed webhooks in, Graph calls out. */
export function createInstagramGraphChannel(config: InstagramGraphConfig): MetaChannel {
  requireNumericId(CHANNEL, 'accountId', config.accountId, 'the Instagram professional account id');
  const common = resolveCommonConfig(CHANNEL, config, DEFAULT_GRAPH_API_ROOT);
  const logger = config.logger ?? silentLogger;
  const { accountId } = config;

  // The client reports a refused token to the runtime, which is built from the client: hence the let.
  let runtime: ChannelRuntime | undefined;
  const client = createGraphClient({
    channel: CHANNEL,
    apiRoot: common.apiRoot,
    version: common.version,
    accessToken: config.accessToken,
    requestTimeoutMs: common.requestTimeoutMs,
    logger,
    onAuthFailure: (detail) => runtime?.reportAuthFailure(detail),
  });
  const profiles = createProfileDirectory(client, logger);
  const fetcherFor: UrlFetcherFor = (url) => (maxBytes) =>
    client.download('attachment download', url, {
      bearer: false,
      maxBytes: Math.min(maxBytes, common.maxMediaBytes),
    });

  const channelRuntime = createChannelRuntime({
    channel: CHANNEL,
    logger,
    backoff: common.backoff,
    async checkToken(signal) {
      const info = await client.call<AccountInfo>('token check', {
        method: 'GET',
        path: ['me'],
        query: { fields: 'user_id,username' },
        signal,
      });
      if (info.user_id !== undefined && String(info.user_id) !== accountId) {
        throw new ChannelError(
          CHANNEL,
          `The access token belongs to Instagram account ${info.username ? `@${info.username} ` : ''}(${info.user_id}), not to the configured account ${accountId}.`,
          { retryable: false, code: 'WRONG_ACCOUNT' },
        );
      }
      return info.username ? `@${info.username}` : `account ${accountId}`;
    },
  });
  runtime = channelRuntime;

  async function withProfile(message: InboundMessage): Promise<InboundMessage> {
    const profile = await profiles.lookup(message.externalUserId);
    if (!profile) return message;
    const displayName = profile.name ?? (profile.username ? `@${profile.username}` : message.displayName);
    return { ...message, displayName, ...(profile.username ? { handle: profile.username } : {}) };
  }

  async function collect(entries: unknown[]): Promise<WebhookItem[]> {
    const items = collectInstagramItems(entries, { accountId, fetcherFor });
    const named: WebhookItem[] = [];
    for (const item of items) {
      named.push(
        item.kind === 'message' ? { kind: 'message', message: await withProfile(item.message) } : item,
      );
    }
    return named;
  }

  return {
    channel: CHANNEL,
    start: (ctx) => channelRuntime.start(ctx),
    stop: () => channelRuntime.stop(),
    send: (to, content) =>
      sendInstagramContent(client, { accountId, humanAgentTag: config.humanAgentTag ?? false }, to, content),
    verifySubscription: (query) => answerSubscription(query, config.verifyToken),
    handleWebhook: (request) =>
      handleMetaWebhook(request, {
        channel: CHANNEL,
        appSecret: config.appSecret,
        expectedObject: 'instagram',
        run: channelRuntime.current(),
        logger,
        collect: (envelope) => collect(envelope.entry),
      }),
  };
}
