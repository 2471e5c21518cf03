import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SubscriptionAnswer, SubscriptionQuery } from './types.ts';

const SIGNATURE_HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(appSecret, body)>` over the body's raw bytes.
 * Re-serialised JSON would not match: Meta signs its own escaping and whitespace.
 */
export function verifyMetaSignature(
  rawBody: Uint8Array,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (header === undefined || appSecret === '') return false;
  const match = SIGNATURE_HEADER.exec(header.trim());
  if (!match?.[1]) return false;
  const received = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Hashing first gives equal-length inputs, so timingSafeEqual never throws and leaks no length. */
export function secretsMatch(received: string | undefined, expected: string): boolean {
  if (received === undefined || expected === '') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

/**
 * Meta's GET webhook verification: `hub.mode=subscribe` with our verify token gets the challenge
 * echoed, anything else 403. Pure, so the API can answer it while the channel is stopped.
 */
export function answerSubscription(query: SubscriptionQuery, verifyToken: string): SubscriptionAnswer {
  if (query.mode !== 'subscribe') return { status: 403 };
  if (!secretsMatch(query.verifyToken, verifyToken)) return { status: 403 };
  if (query.challenge === undefined || query.challenge === '') return { status: 403 };
  return { status: 200, body: query.challenge };
}
