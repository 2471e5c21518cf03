// Meta's official messaging APIs: the WhatsApp Business Cloud API and Instagram messaging through the
// Instagram Graph API. No SDK: Node's fetch for the Graph API, node:crypto for webhook signatures.
export { classifyGraphError, type GraphErrorBody, type GraphFailure, parseGraphErrorBody } from './errors.ts';
export { createInstagramGraphChannel } from './instagram-graph/index.ts';
export { INSTAGRAM_TEXT_LIMIT_BYTES } from './instagram-graph/send.ts';
export { answerSubscription, verifyMetaSignature } from './signature.ts';
export type {
  InstagramGraphConfig,
  MetaChannel,
  MetaLogger,
  MetaWebhookRequest,
  MetaWebhookStatus,
  RetryBackoff,
  SubscriptionAnswer,
  SubscriptionQuery,
  WhatsAppCloudConfig,
} from './types.ts';
export { createWhatsAppCloudChannel } from './whatsapp-cloud/index.ts';
export { WHATSAPP_TEXT_LIMIT } from './whatsapp-cloud/send.ts';
