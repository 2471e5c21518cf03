import { silentLogger } from '@loket/core';
import { requireNumericId, resolveCommonConfig } from '../config.ts';
import { createGraphClient } from '../graph-client.ts';
import { type ChannelRuntime, createChannelRuntime } from '../runtime.ts';
import { answerSubscription } from '../signature.ts';
import type { MetaChannel, WhatsAppCloudConfig } from '../types.ts';
import { handleMetaWebhook } from '../webhook.ts';
import { whatsappMediaFetcher } from './media.ts';
import { collectWhatsAppItems } from './normalize.ts';
import { sendWhatsAppContent } from './send.ts';

const CHANNEL = 'whatsapp-cloud';
const DEFAULT_GRAPH_API_ROOT = 'https://graph.facebook.com';

type PhoneNumberInfo = { display_phone_number?: string; verified_name?: string };

/** The official WhatsApp Business Cloud API: signed webhooks in, Graph API calls out. */
export function createWhatsAppCloudChannel(config: WhatsAppCloudConfig): MetaChannel {
  requireNumericId(CHANNEL, 'phoneNumberId', config.phoneNumberId, 'Meta app › WhatsApp › API Setup');
  const common = resolveCommonConfig(CHANNEL, config, DEFAULT_GRAPH_API_ROOT);
  const logger = config.logger ?? silentLogger;
  const { phoneNumberId } = config;

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
  const fetcherFor = whatsappMediaFetcher(client, common.maxMediaBytes);

  const channelRuntime = createChannelRuntime({
    channel: CHANNEL,
    logger,
    backoff: common.backoff,
    async checkToken(signal) {
      const info = await client.call<PhoneNumberInfo>('token check', {
        method: 'GET',
        path: [phoneNumberId],
        query: { fields: 'display_phone_number,verified_name' },
        signal,
      });
      const number = info.display_phone_number ?? `phone number id ${phoneNumberId}`;
      return info.verified_name ? `${number} (${info.verified_name})` : number;
    },
  });
  runtime = channelRuntime;

  return {
    channel: CHANNEL,
    start: (ctx) => channelRuntime.start(ctx),
    stop: () => channelRuntime.stop(),
    send: (to, content) => sendWhatsAppContent(client, phoneNumberId, to, content),
    verifySubscription: (query) => answerSubscription(query, config.verifyToken),
    handleWebhook: (request) =>
      handleMetaWebhook(request, {
        channel: CHANNEL,
        appSecret: config.appSecret,
        expectedObject: 'whatsapp_business_account',
        run: channelRuntime.current(),
        logger,
        collect: async (envelope) => collectWhatsAppItems(envelope.entry, { phoneNumberId, fetcherFor }),
      }),
  };
}
