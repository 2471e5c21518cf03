import { readFileSync } from 'node:fs';

/** The ids the fixture payloads use; they match startFakeGraph's defaults. */
export const META_FIXTURE_IDS = {
  phoneNumberId: '106540352242922',
  businessAccountId: '102290129340398',
  citizenWaId: '6281234567890',
  igAccountId: '17841405822304914',
  citizenIgsid: '6543210987654321',
} as const;

export const META_FIXTURES = [
  'whatsapp-text',
  'whatsapp-document',
  'whatsapp-statuses',
  'instagram-text',
  'instagram-postback-referral',
] as const;
export type MetaFixtureName = (typeof META_FIXTURES)[number];

/**
 * A recorded-shape webhook body, byte for byte as stored (whitespace included), so a test signs and
 * sends exactly these bytes.
 */
export function loadMetaFixture(name: MetaFixtureName): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url)));
}
