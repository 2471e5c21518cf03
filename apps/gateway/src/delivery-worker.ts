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

export type DeliveryCounters = { sent: number; retried: number; failed: number };

export type DeliveryWorker = {
  /** Wakes the worker now instead of at its next poll (a reply was just queued). */
  wake(): void;
  stop(): Promise<void>;
  counters: DeliveryCounters;
};

const LEASE_MS = 2 * 60_000;

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
}): DeliveryWorker {
  const counters: DeliveryCounters = { sent: 0, retried: 0, failed: 0 };
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let wakeRequested = false;

  async function deliver(task: DeliveryTask): Promise<void> {
    const adapter = deps.runningAdapter(task.channel);
    if (!adapter) {
      // The channel stopped after the claim: put the job back for when it returns.
      await deps.queue.retryLater(task, { runAt: deps.clock.now(), error: `${task.channel} is not running` });
      return;
    }
    const documents = await documentsOf(task);
    if (typeof documents === 'string') {
      counters.failed += 1;
      await deps.queue.markFailed(task, { error: documents, at: deps.clock.now() });
      return;
    }
    try {
      const { externalId, warning } = await adapter.send(
        { channel: task.channel, externalThreadId: task.threadId },
        { text: task.text, sentByStaff: !task.automated, ...(documents.length ? { documents } : {}) },
      );
      await deps.queue.markSent(task, {
        externalId,
        sentAt: deps.clock.now(),
        ...(warning ? { warning } : {}),
      });
      counters.sent += 1;
      deps.observer?.delivered?.(task.channel, deps.clock.now().getTime() - task.queuedAt.getTime());
    } catch (error) {
      const decision = decideAfterFailure(error, task.attempts + 1);
      if (decision.action === 'retry') {
        counters.retried += 1;
        deps.observer?.deliveryRetried?.(task.channel);
        const runAt = new Date(deps.clock.now().getTime() + decision.delayMs);
        deps.logger.warn(
          { channel: task.channel, messageId: task.messageId, runAt, reason: decision.reason },
          'send failed; will retry',
        );
        await deps.queue.retryLater(task, { runAt, error: decision.reason });
      } else {
        counters.failed += 1;
        deps.observer?.deliveryFailed?.(task.channel);
        deps.logger.error(
          { channel: task.channel, messageId: task.messageId, reason: decision.reason },
          'send failed for good',
        );
        await deps.queue.markFailed(task, { error: decision.reason, at: deps.clock.now() });
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

  /** One pass: messages to the same chat go in order; different chats go side by side. */
  async function runOnce(): Promise<number> {
    const channels = deps.runningChannels();
    if (!channels.length) return 0;
    const tasks = await deps.queue.claimDue({
      now: deps.clock.now(),
      limit: deps.batchSize ?? 50,
      leaseMs: LEASE_MS,
      channels,
    });
    const byThread = new Map<string, DeliveryTask[]>();
    for (const task of tasks) {
      const key = `${task.channel}:${task.threadId}`;
      byThread.set(key, [...(byThread.get(key) ?? []), task]);
    }
    await Promise.all(
      [...byThread.values()].map(async (thread) => {
        for (const task of thread) await deliver(task);
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
      wakeUp?.();
      await loop;
    },
  };
}
