import { createHmac } from 'node:crypto';

/**
 * `X-Loket-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, the scheme
 * Stripe made familiar. The timestamp is inside the MAC, so a receiver that checks it is recent can
 * refuse a captured delivery replayed later; `v1` leaves room for another scheme beside it.
 */
export function webhookSignature(secret: string, rawBody: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
