import { ChannelError, type InboundMessage, type InboundReferral } from '@loket/core';
import { requireNumericId } from '../config.ts';
import { createMetaAdapter } from '../meta-adapter.ts';
import type { InstagramGraphConfig, MetaChannel, WebhookItem } from '../types.ts';
import { collectInstagramItems, type UrlFetcherFor } from './normalize.ts';
import { createProfileDirectory } from './profiles.ts';
import { sendInstagramContent } from './send.ts';

const CHANNEL = 'instagram-graph';
const DEFAULT_GRAPH_API_ROOT = 'https://graph.instagram.com';

type AccountInfo = { user_id?: string | number; username?: string };

/** Instagram messaging through the Instagram API with Instagram Login: signed webhooks in, Graph calls out. */
export function createInstagramGraphChannel(config: InstagramGraphConfig): MetaChannel {
  requireNumericId(CHANNEL, 'accountId', config.accountId, 'the Instagram professional account id');
  const { accountId } = config;
  return createMetaAdapter({
    channel: CHANNEL,
    config,
    defaultApiRoot: DEFAULT_GRAPH_API_ROOT,
    expectedObject: 'instagram',
    async checkToken(client, signal) {
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
    build({ client, common, logger }) {
      const profiles = createProfileDirectory(client, logger);
      const fetcherFor: UrlFetcherFor = (url) => (maxBytes) =>
        client.download('attachment download', url, {
          bearer: false,
          maxBytes: Math.min(maxBytes, common.maxMediaBytes),
        });

      async function withProfile<T extends InboundMessage | InboundReferral>(message: T): Promise<T> {
        const profile = await profiles.lookup(message.externalUserId);
        if (!profile) return message;
        const displayName = profile.name ?? (profile.username ? `@${profile.username}` : message.displayName);
        return { ...message, displayName, ...(profile.username ? { handle: profile.username } : {}) };
      }

      return {
        send: (to, content) =>
          sendInstagramContent(
            client,
            { accountId, humanAgentTag: config.humanAgentTag ?? false },
            to,
            content,
          ),
        async collect(envelope) {
          const named: WebhookItem[] = [];
          for (const item of collectInstagramItems(envelope.entry, { accountId, fetcherFor })) {
            if (item.kind === 'message')
              named.push({ kind: 'message', message: await withProfile(item.message) });
            // A referral may create the contact, which keeps the name it is created with.
            else if (item.kind === 'referral')
              named.push({ kind: 'referral', referral: await withProfile(item.referral) });
            else named.push(item);
          }
          return named;
        },
      };
    },
  });
}
