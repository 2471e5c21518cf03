import type { ChannelStartContext, InboundMessage } from '@loket/core';
import { isLidUser, type MessageUpsertType, type WAMessage } from '@whiskeysockets/baileys';
import { createOrderedRetryQueue } from './inbound-queue.ts';
import type { InboundSpool } from './inbound-spool.ts';
import { withPhoneJid } from './normalize.ts';
import type { NormalizedMessage, RetryBackoff, WhatsAppLogger } from './types.ts';

type PendingMessage = { raw: WAMessage; message: InboundMessage; phoneLookedUp: boolean };

export type InboundPipeline = {
  /** Takes a `messages.upsert` batch ('notify' live, 'append' the offline batch) or the spool's leftovers. */
  accept(messages: WAMessage[], source: MessageUpsertType | 'spooled'): void;
};

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * From Baileys' upserts to `onMessage`, for one run of the adapter.
 *
 * What is guaranteed: Baileys has already sent WhatsApp the delivery receipt when a message reaches
 * us, so WhatsApp will not send it again. From here the message is kept in the spool (the database)
 * and onMessage is retried, in order, until it succeeds; a stop or crash before that leaves it in
 * the spool, and the next start hands it over again (the core drops a duplicate by its key id). Only
 * a crash in the milliseconds between the receipt and the spool write can still lose a message.
 */
export function createInboundPipeline(options: {
  ctx: ChannelStartContext;
  signal: AbortSignal;
  backoff: RetryBackoff;
  spool: InboundSpool;
  logger: WhatsAppLogger;
  normalize(raw: WAMessage): NormalizedMessage;
  /** Baileys' own LID→phone store, on the current socket; undefined between sockets. */
  phoneForLid(lid: string): Promise<string | null | undefined>;
}): InboundPipeline {
  const { ctx, spool, logger } = options;

  /** Baileys may know the phone behind a LID from history sync or an earlier message. */
  async function withKnownPhone(message: InboundMessage): Promise<InboundMessage> {
    if (message.phone || !isLidUser(message.externalUserId)) return message;
    try {
      const pn = await options.phoneForLid(message.externalUserId);
      return pn ? withPhoneJid(message, pn) : message;
    } catch {
      return message;
    }
  }

  const queue = createOrderedRetryQueue<PendingMessage>({
    signal: options.signal,
    backoff: options.backoff,
    async handle(pending) {
      if (!pending.phoneLookedUp) {
        pending.phoneLookedUp = true;
        pending.message = await withKnownPhone(pending.message);
      }
      await ctx.onMessage(pending.message);
      await spool.remove(pending.raw);
    },
    onRetry(pending, attempt, error, delayMs) {
      logger.warn(
        { messageId: pending.message.externalMessageId, attempt, delayMs, reason: errorMessage(error) },
        'storing a WhatsApp message failed; retrying',
      );
    },
  });

  function reportSkipped(reason: string, detail: Record<string, unknown>): void {
    logger.info({ reason, ...detail }, 'WhatsApp message skipped');
    try {
      ctx.onRejected?.(reason, detail);
    } catch (error) {
      logger.warn({ reason: errorMessage(error) }, 'onRejected threw');
    }
  }

  return {
    accept(messages, source) {
      const accepted: PendingMessage[] = [];
      for (const raw of messages) {
        const result = options.normalize(raw);
        if (result.kind === 'message') {
          accepted.push({ raw, message: result.message, phoneLookedUp: false });
        } else if (result.reason !== 'from_me') {
          // Our own messages (sent from the office phone) are routine, not rejections.
          reportSkipped(result.reason, { upsertType: source, ...result.detail });
        }
      }
      if (accepted.length === 0) return;
      // One spool write for the batch, started before any onMessage, so the batch is durable first.
      if (source !== 'spooled') void spool.add(accepted.map((pending) => pending.raw));
      for (const pending of accepted) queue.push(pending);
    },
  };
}
