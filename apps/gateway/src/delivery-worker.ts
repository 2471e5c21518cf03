import {
  type ChannelAdapter,
  type ChannelName,
  type Clock,
  type DeliveryQueue,
  type DeliveryTask,
  decideAfterFailure,
  type FileStore,
  type Logger,
  type OutboundDocument,
} from '@loket/core';
import type { GatewayObserver } from './observer.ts';
import { type OutboundPacer, pauseAfterRateLimit, waitForSendSlot } from './pacing.ts';

/** Well inside the delivery queues' 300 s expiry (see the job_queue migration). */
const CLAIM_SECONDS = 120;
/** Half the delivery queues' 300 s expiry. */
const RECORD_FOR_MS = 150_000;

export type DeliveryCounters = { sent: number; retried: number; failed: number };

export type DeliveryWorker = {
  /** Wakes the worker now instead of at its next poll (a reply was just queued). */
  wake(): void;
  stop(): Promise<void>;
  counters: DeliveryCounters;
};

/**
 * Sends queued outbound messages through their ticket's channel, oldest first. Jobs of a channel that
 * is not running stay queued until it is back. A failed send is retried with capped backoff (or the
 * platform's retry_after) and ends `failed` with a reason the officer sees: never silently dropped.
 */
export function startDeliveryWorker(deps: {
  queue: DeliveryQueue;
  /** Where officers' attachments are kept. */
  files: FileStore;
  clock: Clock;
  logger: Logger;
  runningAdapter(channel: ChannelName): ChannelAdapter | undefined;
  runningChannels(): ChannelName[];
  observer?: GatewayObserver;
  pollIntervalMs?: number;
  batchSize?: number;
  /** Paces sends per channel and chat (see pacing.ts); without it, sends go as fast as they can. */
  pacer?: OutboundPacer;
}): DeliveryWorker {
  const counters: DeliveryCounters = { sent: 0, retried: 0, failed: 0 };
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let wakeRequested = false;
  const stopping = new AbortController();

  async function deliver(task: DeliveryTask): Promise<void> {
    const adapter = deps.runningAdapter(task.channel);
    if (!adapter) {
      // The channel stopped after the claim: put the job back for when it returns.
      const error = `${task.channel} is not running`;
      await record(task, () => deps.queue.retryLater(task, { delayMs: 0, error, attempted: false }));
      return;
    }
    const documents = await documentsOf(task);
    if (typeof documents === 'string') {
      counters.failed += 1;
      await record(task, () => deps.queue.markFailed(task, { error: documents, at: deps.clock.now() }));
      return;
    }
    const slot = await waitForSendSlot(deps.pacer, task, documents.length, stopping.signal);
    // The wait may outlast the adapter (stopped, or restarted with new settings): use the one running now.
    const sender = slot ? deps.runningAdapter(task.channel) : undefined;
    if (!sender) {
      const error = slot ? `${task.channel} is not running` : 'the worker stopped before its send slot';
      await record(task, () => deps.queue.retryLater(task, { delayMs: 0, error, attempted: false }));
      return;
    }
    let sent: Awaited<ReturnType<ChannelAdapter['send']>>;
    try {
      sent = await sender.send(
        { channel: task.channel, externalThreadId: task.threadId },
        { text: task.text, sentByStaff: !task.automated, ...(documents.length ? { documents } : {}) },
      );
    } catch (error) {
      await afterFailedSend(task, error);
      return;
    }
    // Sent: only the record is left. A database error now is not a failed send (sending again would
    // message the citizen twice), so the record is retried until the database answers.
    const sentAt = deps.clock.now();
    const { externalId, warning } = sent;
    await record(task, () =>
      deps.queue.markSent(task, { externalId, sentAt, ...(warning ? { warning } : {}) }),
    );
    counters.sent += 1;
    deps.observer?.delivered?.(task.channel, deps.clock.now().getTime() - task.queuedAt.getTime());
  }

  async function afterFailedSend(task: DeliveryTask, error: unknown): Promise<void> {
    pauseAfterRateLimit(deps.pacer, task.channel, error);
    const decision = decideAfterFailure(error, task.attempts + 1);
    if (decision.action === 'retry') {
      counters.retried += 1;
      deps.observer?.deliveryRetried?.(task.channel);
      deps.logger.warn(
        {
          channel: task.channel,
          messageId: task.messageId,
          delayMs: decision.delayMs,
          reason: decision.reason,
        },
        'send failed; will retry',
      );
      await record(task, () =>
        deps.queue.retryLater(task, { delayMs: decision.delayMs, error: decision.reason }),
      );
      return;
    }
    counters.failed += 1;
    deps.observer?.deliveryFailed?.(task.channel);
    deps.logger.error(
      { channel: task.channel, messageId: task.messageId, reason: decision.reason },
      'send failed for good',
    );
    await record(task, () => deps.queue.markFailed(task, { error: decision.reason, at: deps.clock.now() }));
  }

  /**
   * Writes a delivery's outcome, trying again while the database is away (a restart, a failover) for
   * up to RECORD_FOR_MS; after that, or when the worker stops, pg-boss's lease brings the job back.
   */
  async function record(task: DeliveryTask, write: () => Promise<void>): Promise<void> {
    const giveUpAt = Date.now() + RECORD_FOR_MS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await write();
      } catch (error) {
        if (stopped || Date.now() >= giveUpAt) throw error;
        deps.logger.warn(
          { channel: task.channel, messageId: task.messageId, attempt, err: error },
          'could not record a delivery; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** (attempt - 1), 5000)));
      }
    }
  }

  /** The attached files' bytes, or why they cannot be sent (a file missing from the store). */
  async function documentsOf(task: DeliveryTask): Promise<OutboundDocument[] | string> {
    const documents: OutboundDocument[] = [];
    for (const file of task.attachments) {
      const data = await deps.files.get(file.storageKey);
      if (!data) return `the attached file ${file.name} is missing from the file store`;
      documents.push({ name: file.name, mime: file.mime, data });
    }
    return documents;
  }

  /**
   * Pacing bounds what one pass takes, so that no job waits for its send slot past its lease (pg-boss
   * hands an expired job to another worker while this one still means to send it): per channel, what
   * its rate lets out within CLAIM_SECONDS; per chat, what its interval lets out in that time (the
   * rest of a long backlog goes back to the queue, in order, for the next pass).
   */
  function claimLimit(channel: ChannelName): number {
    const batch = deps.batchSize ?? 50;
    if (!deps.pacer) return batch;
    return Math.max(1, Math.min(batch, Math.floor(deps.pacer.limitsOf(channel).perSecond * CLAIM_SECONDS)));
  }

  function perChatLimit(channel: ChannelName): number {
    if (!deps.pacer) return Number.POSITIVE_INFINITY;
    return Math.max(1, Math.floor((CLAIM_SECONDS * 1000) / deps.pacer.limitsOf(channel).perChatIntervalMs));
  }

  /** One pass: messages to the same chat go in order; different chats go side by side. */
  async function runOnce(): Promise<number> {
    const channels = deps.runningChannels();
    if (!channels.length) return 0;
    // Deliveries pg-boss gave up on (a worker kept dying mid-send) are failed visibly, not left queued.
    await deps.queue.failAbandoned({ limit: deps.batchSize ?? 50, at: deps.clock.now() });
    const tasks: DeliveryTask[] = [];
    for (const channel of channels) {
      tasks.push(...(await deps.queue.claimDue({ limit: claimLimit(channel), channels: [channel] })));
    }
    const byThread = new Map<string, DeliveryTask[]>();
    for (const task of tasks) {
      const key = `${task.channel}:${task.threadId}`;
      byThread.set(key, [...(byThread.get(key) ?? []), task]);
    }
    await Promise.all(
      [...byThread.values()].map(async (thread) => {
        const now = thread.slice(0, perChatLimit(thread[0]!.channel));
        for (const task of thread.slice(now.length)) {
          await deps.queue.retryLater(task, {
            delayMs: 0,
            error: 'paced: sent after the earlier messages',
            attempted: false,
          });
        }
        for (const task of now) await deliver(task);
      }),
    );
    return tasks.length;
  }

  const loop = (async () => {
    while (!stopped) {
      let claimed = 0;
      try {
        claimed = await runOnce();
      } catch (error) {
        deps.logger.error({ err: error }, 'delivery pass failed; retrying at the next poll');
      }
      if (stopped) break;
      if (claimed > 0 || wakeRequested) {
        wakeRequested = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  })();

  return {
    counters,
    wake() {
      wakeRequested = true;
      wakeUp?.();
    },
    async stop() {
      stopped = true;
      stopping.abort();
      wakeUp?.();
      await loop;
    },
  };
}
