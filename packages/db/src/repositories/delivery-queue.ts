import { randomUUID } from 'node:crypto';
import {
  type ChannelName,
  type DeliveryQueue,
  type DeliveryTask,
  type PlatformDeliveryState,
  statusesBelow,
} from '@loket/core';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import {
  completeJob,
  DELIVERY_DEAD_LETTER_QUEUE,
  deliveryQueueName,
  failJob,
  fetchJobs,
  insertJobs,
  type SqlClient,
} from '../jobs/pg-boss-sql.ts';
import { DELIVERY_CHANNEL } from '../notifications.ts';
import { recordEvent } from './event-log.ts';

type Tx = Prisma.TransactionClient;

/** Moves the message forward to `status` unless it is already there or past it. One statement, no race. */
async function applyReceipt(
  tx: Tx | PrismaClient,
  channel: string,
  externalId: string,
  receipt: { status: PlatformDeliveryState; error: string | null },
): Promise<boolean> {
  const target = await tx.message.findFirst({
    where: { channel, externalId, direction: 'outbound' },
    select: { id: true, ticketId: true },
  });
  if (!target) return false;
  const { count } = await tx.message.updateMany({
    where: {
      channel,
      externalId,
      direction: 'outbound',
      deliveryStatus: { in: statusesBelow(receipt.status) },
    },
    data: {
      deliveryStatus: receipt.status,
      ...(receipt.status === 'failed' ? { error: receipt.error ?? 'the platform could not deliver it' } : {}),
    },
  });
  if (count > 0) {
    await recordEvent(tx, 'message.status', target.ticketId, {
      messageId: target.id,
      ticketId: target.ticketId,
      deliveryStatus: receipt.status,
      ...(receipt.status === 'failed' ? { error: receipt.error } : {}),
    });
  }
  return count > 0;
}

/** What a delivery job carries: the message (the truth about the delivery) and the attempts before it. */
export type DeliveryJobData = { messageId: string; attempts: number; lastError?: string };

/**
 * Enqueues deliveries in the caller's transaction: one pg-boss job per message, due now. The same
 * transaction announces them (NOTIFY, sent by PostgreSQL at commit), so a gateway in another process
 * starts sending at once instead of at its next poll (see notifications.ts).
 */
export async function enqueueDeliveries(
  client: SqlClient,
  jobs: {
    messageId: string;
    channel: ChannelName;
    attempts?: number;
    lastError?: string;
    delayMs?: number;
  }[],
): Promise<void> {
  await insertJobs(
    client,
    jobs.map((job) => ({
      name: deliveryQueueName(job.channel),
      data: {
        messageId: job.messageId,
        attempts: job.attempts ?? 0,
        ...(job.lastError ? { lastError: job.lastError } : {}),
      } satisfies DeliveryJobData,
      ...(job.delayMs ? { delayMs: job.delayMs } : {}),
    })),
  );
  // A retry later (delayMs) is the worker's own doing: only work due now is announced.
  if (jobs.some((job) => !job.delayMs)) await client.$executeRaw`SELECT pg_notify(${DELIVERY_CHANNEL}, '')`;
}

type MessageRow = {
  id: string;
  ticketId: string;
  threadId: string;
  text: string;
  automated: boolean;
  deliveryStatus: string | null;
  createdAt: Date;
};

type Claimed = { jobId: string; channel: ChannelName; data: DeliveryJobData };

/**
 * Outbound delivery on pg-boss. A job per message says "deliver this"; the message row says what
 * happened (queued, sent, failed and why), and every outcome is written in one transaction with the
 * job's completion, so a delivery is never recorded without its job finishing, nor the reverse.
 * pg-boss holds the lease (a job is `active` until its worker completes it or it expires and is
 * retried), and hands jobs that kept failing inside Loket to the dead letter queue.
 */
export function createDeliveryQueue(prisma: PrismaClient): DeliveryQueue {
  return {
    async claimDue({ limit, channels }) {
      if (!channels.length || limit <= 0) return [];
      // The claim and the reads after it commit together: a claim whose read failed (the database went
      // away in between) would leave its jobs active, unsent, until pg-boss's expiry.
      return prisma.$transaction((tx) => claimIn(tx, limit, channels));
    },

    async markSent(task, { externalId, sentAt, warning }) {
      await prisma.$transaction(async (tx) => {
        await tx.message.update({
          where: { id: task.messageId },
          data: { deliveryStatus: 'sent', externalId, sentAt, error: warning ?? null },
        });
        await recordEvent(tx, 'message.status', task.ticketId, {
          messageId: task.messageId,
          ticketId: task.ticketId,
          deliveryStatus: 'sent',
          ...(warning ? { warning } : {}),
        });
        // Reports the platform sent before we got here (a fast `delivered` webhook).
        const early = await tx.deliveryReceipt.findMany({
          where: { channel: task.channel, externalId },
          orderBy: { at: 'asc' },
        });
        for (const receipt of early) {
          if (receipt.status === 'queued') continue;
          await applyReceipt(tx, task.channel, externalId, {
            status: receipt.status,
            error: receipt.error,
          });
        }
        // Acknowledgements are automatic; only an officer's reply answers the citizen. The first one
        // sent stops the first-response clock, later ones leave it alone.
        if (!task.automated) {
          await tx.ticket.updateMany({
            where: { id: task.ticketId, firstRespondedAt: null },
            data: { firstRespondedAt: sentAt },
          });
        }
        await completeJob(tx, deliveryQueueName(task.channel), task.jobId, { sent: externalId });
      });
    },

    async recordReceipt(channel, receipt) {
      return prisma.$transaction(async (tx) => {
        await tx.deliveryReceipt.createMany({
          data: [
            {
              id: randomUUID(),
              channel,
              externalId: receipt.externalMessageId,
              status: receipt.status,
              at: receipt.at,
              error: receipt.error ?? null,
            },
          ],
          skipDuplicates: true,
        });
        const applied = await applyReceipt(tx, channel, receipt.externalMessageId, {
          status: receipt.status,
          error: receipt.error ?? null,
        });
        return { applied };
      });
    },

    async retryLater(task, { delayMs, error, attempted = true }) {
      // The next attempt is a new job due later, and this one completes with the reason: one
      // transaction, so exactly one job carries the delivery on.
      await prisma.$transaction(async (tx) => {
        await enqueueDeliveries(tx, [
          {
            messageId: task.messageId,
            channel: task.channel,
            attempts: attempted ? task.attempts + 1 : task.attempts,
            lastError: error,
            delayMs,
          },
        ]);
        await completeJob(tx, deliveryQueueName(task.channel), task.jobId, { retryInMs: delayMs, error });
      });
    },

    async markFailed(task, { error, at }) {
      await prisma.$transaction(async (tx) => {
        await failMessage(tx, task.messageId, task.ticketId, error, at);
        await completeJob(tx, deliveryQueueName(task.channel), task.jobId, { failed: error });
      });
    },

    async releaseClaimed(channel) {
      const name = deliveryQueueName(channel);
      const active = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id::text AS id FROM pgboss.job WHERE name = ${name} AND state = 'active'`;
      if (!active.length) return 0;
      await failJob(
        prisma,
        name,
        active.map((job) => job.id),
        { error: 'its worker stopped before finishing; handed out again' },
      );
      return active.length;
    },

    async failAbandoned({ limit, at }) {
      const jobs = await fetchJobs<DeliveryJobData>(prisma, DELIVERY_DEAD_LETTER_QUEUE, limit);
      for (const job of jobs) {
        await prisma.$transaction(async (tx) => {
          const message = await tx.message.findUnique({
            where: { id: job.data.messageId },
            select: { id: true, ticketId: true, deliveryStatus: true },
          });
          if (message?.deliveryStatus === 'queued') {
            const reason = `Loket could not finish sending it (${job.data.lastError ?? 'its worker stopped mid-send, repeatedly'})`;
            await failMessage(tx, message.id, message.ticketId, reason, at);
          }
          await completeJob(tx, DELIVERY_DEAD_LETTER_QUEUE, job.id, { handled: true });
        });
      }
      return jobs.length;
    },
  };
}

/** Takes due jobs of the channels, with what their senders need, inside the caller's transaction. */
async function claimIn(tx: Tx, limit: number, channels: ChannelName[]): Promise<DeliveryTask[]> {
  const claimed: Claimed[] = [];
  for (const channel of channels) {
    const jobs = await fetchJobs<DeliveryJobData>(tx, deliveryQueueName(channel), limit);
    for (const job of jobs) claimed.push({ jobId: job.id, channel, data: job.data });
  }
  if (!claimed.length) return [];
  const ids = [...new Set(claimed.map((job) => job.data.messageId))];
  const rows = await tx.$queryRaw<MessageRow[]>`
      SELECT m.id, m."ticketId", t."threadId", m.text, m.automated, m."deliveryStatus", m."createdAt"
      FROM "Message" m JOIN "Ticket" t ON t.id = m."ticketId"
      WHERE m.id IN (${Prisma.join(ids)})`;
  const messages = new Map(rows.map((row) => [row.id, row]));
  const files = await tx.attachment.findMany({
    where: { messageId: { in: ids }, storageKey: { not: null } },
    orderBy: { position: 'asc' },
    select: { messageId: true, name: true, mime: true, storageKey: true },
  });
  const tasks: (DeliveryTask & { writtenAt: Date })[] = [];
  for (const job of claimed) {
    const message = messages.get(job.data.messageId);
    // Erased, already sent, or failed meanwhile (an anonymisation): nothing left to deliver.
    if (message?.deliveryStatus !== 'queued') {
      await completeJob(tx, deliveryQueueName(job.channel), job.jobId, {
        skipped: message ? `message is ${message.deliveryStatus}` : 'message is gone',
      });
      continue;
    }
    tasks.push({
      jobId: job.jobId,
      messageId: message.id,
      ticketId: message.ticketId,
      channel: job.channel,
      threadId: message.threadId,
      text: message.text,
      attachments: files
        .filter((file) => file.messageId === message.id)
        .map((file) => ({
          name: file.name ?? 'lampiran',
          mime: file.mime,
          storageKey: file.storageKey ?? '',
        })),
      automated: message.automated,
      attempts: Number(job.data.attempts ?? 0),
      queuedAt: message.createdAt,
      writtenAt: message.createdAt,
    });
  }
  // Jobs of one transaction share a creation time; the messages' own times keep a chat in order.
  tasks.sort(
    (a, b) => a.writtenAt.getTime() - b.writtenAt.getTime() || a.messageId.localeCompare(b.messageId),
  );
  return tasks.map(({ writtenAt: _unused, ...task }) => task);
}

async function failMessage(
  tx: Tx,
  messageId: string,
  ticketId: string,
  error: string,
  at: Date,
): Promise<void> {
  await tx.message.update({
    where: { id: messageId },
    data: { deliveryStatus: 'failed', error, failedAt: at },
  });
  await recordEvent(tx, 'message.status', ticketId, { messageId, ticketId, deliveryStatus: 'failed', error });
}
