import type { ChannelName, DeliveryReceipt, PlatformDeliveryState } from '../channel/types.ts';
import { ChannelError } from '../channel/types.ts';
import type { DeliveryStatus } from '../tickets/types.ts';

export type DeliveryTask = {
  jobId: string;
  messageId: string;
  ticketId: string;
  channel: ChannelName;
  threadId: string;
  text: string;
  /** Files the officer attached, in order; the bytes are in the file store under `storageKey`. */
  attachments: { name: string; mime: string; storageKey: string }[];
  automated: boolean;
  /** When the message was queued (delivery latency is measured from it). */
  queuedAt: Date;
  /** Attempts made before this one. */
  attempts: number;
};

/**
 * The statuses a platform report may replace: reports arrive out of order (a `delivered` after its
 * `read`), and a message the citizen read stays read.
 */
export function statusesBelow(reported: PlatformDeliveryState): DeliveryStatus[] {
  switch (reported) {
    case 'sent':
      return ['queued'];
    case 'delivered':
      return ['queued', 'sent'];
    case 'failed':
      return ['queued', 'sent', 'delivered'];
    case 'read':
      return ['queued', 'sent', 'delivered', 'failed'];
  }
}

export const MAX_DELIVERY_ATTEMPTS = 8;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 5 * 60_000;

export type DeliveryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'fail'; reason: string };

/**
 * What to do after a failed send: retry with capped exponential backoff (or the platform's own
 * `retry_after`), or give up with a reason an officer can read.
 */
export function decideAfterFailure(error: unknown, attemptsMade: number): DeliveryDecision {
  const reason = error instanceof Error ? error.message : String(error);
  const retryable = error instanceof ChannelError ? error.retryable : true;
  if (!retryable) return { action: 'fail', reason };
  if (attemptsMade >= MAX_DELIVERY_ATTEMPTS) {
    return { action: 'fail', reason: `gave up after ${attemptsMade} attempts: ${reason}` };
  }
  if (error instanceof ChannelError && error.retryAfter !== undefined) {
    return { action: 'retry', delayMs: Math.min(error.retryAfter * 1000, MAX_DELAY_MS), reason };
  }
  const delayMs = Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attemptsMade - 1), MAX_DELAY_MS);
  return { action: 'retry', delayMs, reason };
}

export interface DeliveryQueue {
  /**
   * Takes up to `limit` due deliveries per channel (a lease: two workers never hold the same one, and
   * one whose worker died is handed out again) and returns them in the order they were written.
   */
  claimDue(options: { limit: number; channels: ChannelName[] }): Promise<DeliveryTask[]>;
  /** Marks the message sent. An officer's (not automated) first sent reply sets the ticket's first response. */
  markSent(task: DeliveryTask, result: { externalId: string; sentAt: Date; warning?: string }): Promise<void>;
  /**
   * Stores a platform's delivery report (once per message and state) and moves the message's status
   * forward: sent → delivered → read, or failed. A report never moves it back. A report that arrives
   * before its send was recorded is applied by `markSent`.
   */
  recordReceipt(channel: ChannelName, receipt: DeliveryReceipt): Promise<{ applied: boolean }>;
  /**
   * Tries again after `delayMs` (measured on the database's clock). `attempted: false` puts it back
   * without counting an attempt (its channel stopped before the send).
   */
  retryLater(
    task: DeliveryTask,
    retry: { delayMs: number; error: string; attempted?: boolean },
  ): Promise<void>;
  markFailed(task: DeliveryTask, failure: { error: string; at: Date }): Promise<void>;
  /**
   * Deliveries the queue itself gave up on (their worker kept dying mid-send, or the database kept
   * failing): their messages are marked failed with the reason, so none stays "queued" forever.
   */
  failAbandoned(options: { limit: number; at: Date }): Promise<number>;
  /**
   * The channel's deliveries still claimed when this process takes the channel over (its previous
   * runner died holding them): handed out again after the queue's retry delay, not after their
   * expiry. Only for a channel nobody else runs now.
   */
  releaseClaimed(channel: ChannelName): Promise<number>;
}
