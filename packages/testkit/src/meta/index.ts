// The fake Graph API and signed webhook builders for Meta's official channels.
export { FakeGraph, type FakeGraphOptions, startFakeGraph } from './fake-graph.ts';
export { loadMetaFixture, META_FIXTURE_IDS, META_FIXTURES, type MetaFixtureName } from './fixtures.ts';
export {
  type GraphCallKind,
  type GraphErrorJson,
  type GraphFailureSpec,
  graphFailures,
} from './graph-failures.ts';
export type {
  GraphInstagramMessage,
  GraphInstagramProfile,
  GraphRequestRecord,
  GraphUploadedMedia,
  GraphWhatsAppMessage,
} from './graph-records.ts';
export {
  type IgWebhookEvent,
  type InstagramWebhookPayload,
  instagramMessaging,
  instagramWebhook,
} from './instagram-webhooks.ts';
export {
  postSignedWebhook,
  type SignedWebhook,
  signedWebhookRequest,
  signMetaBody,
  type WebhookTamper,
} from './signing.ts';
export {
  type WaWebhookContact,
  type WaWebhookMessage,
  type WaWebhookStatus,
  type WhatsAppWebhookPayload,
  whatsappContact,
  whatsappMessages,
  whatsappStatuses,
  whatsappWebhook,
} from './whatsapp-webhooks.ts';
