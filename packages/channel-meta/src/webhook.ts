import type { MetaChannelName } from './errors.ts';
import type { Run } from './runtime.ts';
import { verifyMetaSignature } from './signature.ts';
import type { MetaLogger, MetaWebhookRequest, MetaWebhookStatus, WebhookItem } from './types.ts';

/** The envelope both products share: `{ object, entry: [...] }`. */
export type MetaWebhookEnvelope = { object: string; entry: unknown[] };

export type WebhookOptions = {
  channel: MetaChannelName;
  appSecret: string;
  /** `whatsapp_business_account` or `instagram`. */
  expectedObject: string;
  run: Run | undefined;
  logger: MetaLogger;
  /** Turns a verified envelope into items; must not throw for a single odd item (reject it instead). */
  collect(envelope: MetaWebhookEnvelope): Promise<WebhookItem[]>;
};

function readEnvelope(rawBody: Uint8Array, expectedObject: string): MetaWebhookEnvelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { object, entry } = body as { object?: unknown; entry?: unknown };
  if (object !== expectedObject || !Array.isArray(entry)) return undefined;
  return { object, entry };
}

/**
 * One POST from Meta, in the order that keeps it safe: the signature over the raw bytes before
 * anything is parsed (401), the shape (400), a running channel (503), then every item handed over
 * one at a time. 200 only once all are stored; a failing store answers 500 so Meta delivers the whole
 * payload again, and the core drops what it already has by message id.
 */
export async function handleMetaWebhook(
  request: MetaWebhookRequest,
  options: WebhookOptions,
): Promise<{ status: MetaWebhookStatus }> {
  const { logger, channel } = options;
  if (!verifyMetaSignature(request.rawBody, request.signature, options.appSecret)) {
    logger.warn({ channel, signed: request.signature !== undefined }, 'Meta webhook with a bad signature');
    return { status: 401 };
  }
  const envelope = readEnvelope(request.rawBody, options.expectedObject);
  if (!envelope) return { status: 400 };
  const run = options.run;
  if (!run) return { status: 503 };

  let items: WebhookItem[];
  try {
    items = await options.collect(envelope);
  } catch (error) {
    logger.error({ channel, reason: String(error) }, 'Meta webhook could not be read');
    return { status: 500 };
  }

  for (const item of items) {
    if (item.kind === 'ignored') {
      logger.debug({ channel, reason: item.reason, ...item.detail }, 'Meta webhook item ignored');
      continue;
    }
    if (item.kind === 'rejected') {
      logger.info({ channel, reason: item.reason, ...item.detail }, 'Meta webhook item rejected');
      try {
        run.ctx.onRejected?.(item.reason, item.detail);
      } catch (error) {
        logger.warn({ channel, reason: String(error) }, 'onRejected threw');
      }
      continue;
    }
    if (item.kind === 'referral' && !run.ctx.onReferral) {
      // As with receipts: a context that keeps no referrals still acknowledges them.
      logger.debug({ channel, ref: item.referral.referralCode }, 'referral not stored');
      continue;
    }
    try {
      if (item.kind === 'message') await run.ctx.onMessage(item.message);
      else if (item.kind === 'referral') await run.ctx.onReferral?.(item.referral);
      else if (run.ctx.onDeliveryReceipt) await run.ctx.onDeliveryReceipt(item.receipt);
      // A context without a receipt store simply has no use for them; Meta still gets its 200.
      else logger.debug({ channel, id: item.receipt.externalMessageId }, 'delivery receipt not stored');
    } catch (error) {
      const id = itemId(item);
      logger.warn(
        { channel, id, kind: item.kind, reason: String(error) },
        'storing a Meta webhook item failed',
      );
      return { status: 500 };
    }
  }
  return { status: 200 };
}

/** What a failed item is logged by: ids only, never content. */
function itemId(item: Extract<WebhookItem, { kind: 'message' | 'receipt' | 'referral' }>): string {
  if (item.kind === 'message') return item.message.externalMessageId;
  if (item.kind === 'receipt') return item.receipt.externalMessageId;
  return `referral from ${item.referral.externalUserId}`;
}
