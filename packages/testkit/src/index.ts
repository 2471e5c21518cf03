export { freePort } from './free-port.ts';
export * from './instagram/index.ts';
export * from './meta/index.ts';
export { type Recorder, recordingContext } from './recording-context.ts';
export { type InjectedFailure, telegramFailures } from './telegram/failures.ts';
export {
  FakeTelegram,
  type FakeTelegramOptions,
  type PushTextMessageOptions,
  startFakeTelegram,
} from './telegram/fake-telegram.ts';
export type {
  ApiCall,
  GetUpdatesCall,
  SentDocument,
  SentMessage,
  StoredFile,
  WebhookCall,
  WebhookState,
} from './telegram/records.ts';
export type { ApiParams, UploadedFile } from './telegram/request-params.ts';
export type * from './telegram/types.ts';
export * from './telegram/updates.ts';
export { waitUntil } from './wait-until.ts';
export {
  type BaileysTestClient,
  connectBaileysTestClient,
  type MessagesUpsert,
} from './whatsapp/baileys-test-client.ts';
export type { ClientReceipt, ReceivedMedia, ReceivedMessage } from './whatsapp/client-traffic.ts';
export type { MediaKind } from './whatsapp/fake-media.ts';
export { FAKE_MEDIA_TLS_CERT, fakeMediaUploadAgent } from './whatsapp/fake-media-tls.ts';
export type { PairedDevice, PairingCodeRequest } from './whatsapp/fake-pairing.ts';
export {
  type ClientStanza,
  FakeWhatsApp,
  type FakeWhatsAppOptions,
  startFakeWhatsApp,
  trustFakeWhatsAppCertificates,
} from './whatsapp/fake-whatsapp.ts';
export type { SendMediaOptions, SendTextOptions } from './whatsapp/inbound-messages.ts';
export { createMemoryAuthState, createMemorySignalKeyStore } from './whatsapp/memory-auth-state.ts';
export { type RegisteredCredsOptions, registeredCreds } from './whatsapp/registered-creds.ts';
