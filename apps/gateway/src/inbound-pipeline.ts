import {
  type Clock,
  type InboundMessage,
  type InboundReferral,
  type InboxStore,
  isChannelName,
  type Logger,
  maskPersonalData,
  type NewAttachment,
  type PolicySource,
  type ReceivedMessage,
  type ReceiveResult,
  receiveMessage,
  rememberReferral,
  storeInboundMessages,
  supportsInboundBatches,
} from '@loket/core';
import { createGroupCommit, type GroupCommitOptions } from './group-commit.ts';
import type { MediaStore } from './media-store.ts';
import type { GatewayObserver } from './observer.ts';

export type InboundCounters = { stored: number; duplicates: number; rejected: number; failed: number };

/** Group commit of inbound messages: at most 500 per transaction, no extra wait by default. */
export const DEFAULT_INBOUND_BATCH: GroupCommitOptions = { maxSize: 500, maxWaitMs: 0 };

export type InboundPipeline = {
  handle(message: InboundMessage): Promise<void>;
  /** Sizes of the transactions the group commit ran (count, messages), for metrics and the benchmark. */
  batches: { count: number; messages: number; largest: number };
  reject(channel: string, reason: string, detail?: Record<string, unknown>): void;
  /** A referral without a message: its banner is kept on the contact; no ticket, no reply. */
  remember(referral: InboundReferral): Promise<void>;
  counters: InboundCounters;
};

/**
 * What every adapter's `onMessage` calls. It keeps the attachments, then stores the message. It
 * resolves only when the message is stored (or known to be a duplicate), and throws otherwise, so the
 * adapter does not acknowledge the platform.
 *
 * Messages that arrive while a commit is in flight are stored together in the next one (group commit,
 * core's `storeInboundMessages`): one transaction with set-based statements for many messages. Stores
 * without batches, and offices with round-robin assignment, take `receiveMessage` per message.
 */
export function createInboundPipeline(deps: {
  store: InboxStore;
  clock: Clock;
  policy: PolicySource;
  media: MediaStore;
  logger: Logger;
  maxAttachmentBytes: number;
  onRepliesQueued: () => void;
  observer?: GatewayObserver;
  /** Group commit sizes; `{ maxSize: 1 }` stores one message per transaction. */
  batch?: Partial<GroupCommitOptions>;
}): InboundPipeline {
  const counters: InboundCounters = { stored: 0, duplicates: 0, rejected: 0, failed: 0 };
  const batches = { count: 0, messages: 0, largest: 0 };
  const groupCommit = createGroupCommit<ReceivedMessage, ReceiveResult>(
    { ...DEFAULT_INBOUND_BATCH, ...deps.batch },
    async (messages) =>
      storeInboundMessages({
        store: deps.store,
        clock: deps.clock,
        policy: await deps.policy.current(),
        messages,
        onBatchFailed: (error, size) =>
          deps.logger.warn(
            { size, err: error instanceof Error ? maskPersonalData(error.message) : String(error) },
            'inbound batch failed; storing its messages one by one',
          ),
      }),
    (size) => {
      batches.count += 1;
      batches.messages += size;
      batches.largest = Math.max(batches.largest, size);
    },
  );

  async function store(message: ReceivedMessage): Promise<ReceiveResult> {
    const policy = await deps.policy.current();
    if (supportsInboundBatches(deps.store) && policy.assignment.mode !== 'round_robin')
      return groupCommit.submit(message);
    return receiveMessage({ store: deps.store, clock: deps.clock, policy, message });
  }

  async function keepAttachments(message: InboundMessage): Promise<NewAttachment[]> {
    const kept: NewAttachment[] = [];
    for (const attachment of message.attachments) {
      const base = { kind: attachment.kind, mime: attachment.mime, name: attachment.name ?? null };
      try {
        const bytes = await attachment.fetch(deps.maxAttachmentBytes);
        kept.push({ ...base, size: bytes.byteLength, storageKey: await deps.media.put(bytes), error: null });
      } catch (error) {
        // The message is still stored: an officer sees that a file came and why it is missing.
        const reason = error instanceof Error ? error.message : String(error);
        deps.logger.warn({ channel: message.channel, reason }, 'attachment not kept');
        kept.push({ ...base, size: attachment.size ?? 0, storageKey: null, error: reason });
      }
    }
    return kept;
  }

  return {
    counters,
    batches,
    async handle(message) {
      try {
        const attachments = await keepAttachments(message);
        const result = await store({ ...message, attachments });
        if (result.outcome === 'duplicate') {
          counters.duplicates += 1;
          deps.observer?.inboundDuplicate?.(message.channel);
          deps.logger.debug(
            { channel: message.channel, messageId: result.messageId },
            'duplicate inbound message',
          );
          return;
        }
        counters.stored += 1;
        deps.observer?.inboundStored?.(message.channel);
        deps.logger.info(
          { channel: message.channel, ticket: result.ticket.number, created: result.ticketCreated },
          'inbound message stored',
        );
        if (result.replies.length) deps.onRepliesQueued();
      } catch (error) {
        counters.failed += 1;
        deps.logger.error(
          {
            channel: message.channel,
            err: error instanceof Error ? maskPersonalData(error.message) : String(error),
          },
          'inbound message not stored; the channel will retry',
        );
        throw error;
      }
    },
    async remember(referral) {
      const { channel, referralCode } = referral;
      const result = await rememberReferral({ store: deps.store, referral }).catch((error: unknown) => {
        const reason = error instanceof Error ? maskPersonalData(error.message) : String(error);
        deps.logger.error({ channel, err: reason }, 'referral not stored; the channel will retry');
        throw error;
      });
      if (result.outcome === 'unknown-code') {
        deps.logger.info({ channel, ref: referralCode }, 'referral with an unknown banner code ignored');
        return;
      }
      deps.logger.info({ channel, ref: referralCode, sourceCode: result.sourceCode }, 'referral remembered');
    },
    reject(channel, reason, detail) {
      counters.rejected += 1;
      if (isChannelName(channel)) deps.observer?.inboundRejected?.(channel, reason);
      deps.logger.warn({ channel, reason, ...detail }, 'inbound update rejected');
    },
  };
}
