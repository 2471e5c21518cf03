export { freePort } from './free-port.ts';
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
