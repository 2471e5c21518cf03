import { requireNumericId } from '../config.ts';
import { createMetaAdapter } from '../meta-adapter.ts';
import type { MetaChannel, WhatsAppCloudConfig } from '../types.ts';
import { whatsappMediaFetcher } from './media.ts';
import { collectWhatsAppItems } from './normalize.ts';
import { sendWhatsAppContent } from './send.ts';

const CHANNEL = 'whatsapp-cloud';
const DEFAULT_GRAPH_API_ROOT = 'https://graph.facebook.com';

type PhoneNumberInfo = { display_phone_number?: string; verified_name?: string };

/** The official WhatsApp Business Cloud API: signed webhooks in, Graph API calls out. */
export function createWhatsAppCloudChannel(config: WhatsAppCloudConfig): MetaChannel {
  requireNumericId(CHANNEL, 'phoneNumberId', config.phoneNumberId, 'Meta app › WhatsApp › API Setup');
  const { phoneNumberId } = config;
  return createMetaAdapter({
    channel: CHANNEL,
    config,
    defaultApiRoot: DEFAULT_GRAPH_API_ROOT,
    expectedObject: 'whatsapp_business_account',
    async checkToken(client, signal) {
      const info = await client.call<PhoneNumberInfo>('token check', {
        method: 'GET',
        path: [phoneNumberId],
        query: { fields: 'display_phone_number,verified_name' },
        signal,
      });
      const number = info.display_phone_number ?? `phone number id ${phoneNumberId}`;
      return info.verified_name ? `${number} (${info.verified_name})` : number;
    },
    build({ client, common }) {
      const fetcherFor = whatsappMediaFetcher(client, common.maxMediaBytes);
      return {
        send: (to, content) => sendWhatsAppContent(client, phoneNumberId, to, content),
        collect: async (envelope) => collectWhatsAppItems(envelope.entry, { phoneNumberId, fetcherFor }),
      };
    },
  });
}
