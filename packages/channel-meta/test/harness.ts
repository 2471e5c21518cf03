import { type FakeGraph, type Recorder, signedWebhookRequest, type WebhookTamper } from '@loket/testkit';
import {
  createInstagramGraphChannel,
  createWhatsAppCloudChannel,
  type InstagramGraphConfig,
  type MetaChannel,
  type WhatsAppCloudConfig,
} from '../src/index.ts';

export { type Recorder, recordingContext } from '@loket/testkit';

export const APP_SECRET = '5f2b8c0e9d4a1b7c3e6f0a2d4c8b1e9f';
export const VERIFY_TOKEN = 'loket-verify-3b9e';
/** Short waits so retry paths run in milliseconds; the production defaults are seconds. */
export const fastBackoff = { initialDelayMs: 20, maxDelayMs: 100 };

export const SITI_WA_ID = '6281234567890';
export const BUDI_WA_ID = '6285712345678';
export const SITI_IGSID = '6543210987654321';
export const BUDI_IGSID = '7012345678901234';

export function whatsappChannel(fake: FakeGraph, overrides: Partial<WhatsAppCloudConfig> = {}): MetaChannel {
  return createWhatsAppCloudChannel({
    accessToken: fake.accessToken,
    phoneNumberId: fake.phoneNumberId,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    graphApiRoot: fake.apiRoot,
    backoff: fastBackoff,
    ...overrides,
  });
}

export function instagramChannel(
  fake: FakeGraph,
  overrides: Partial<InstagramGraphConfig> = {},
): MetaChannel {
  return createInstagramGraphChannel({
    accessToken: fake.instagramAccessToken,
    accountId: fake.igAccountId,
    appSecret: APP_SECRET,
    verifyToken: VERIFY_TOKEN,
    graphApiRoot: fake.apiRoot,
    backoff: fastBackoff,
    ...overrides,
  });
}

/** Signs with the app secret the channels are configured with. */
export function signed(payload: unknown, tamper?: WebhookTamper) {
  return signedWebhookRequest(payload, APP_SECRET, tamper === undefined ? {} : { tamper });
}

export function states(recorder: Recorder): string[] {
  return recorder.statuses.map((status) => status.state);
}

export const bytes = (length: number, fill = 7) => new Uint8Array(length).fill(fill);
