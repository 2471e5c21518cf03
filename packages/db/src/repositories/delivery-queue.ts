import { randomUUID } from 'node:crypto';
import {
  type ChannelName,
  type DeliveryQueue,
  type DeliveryTask,
  type PlatformDeliveryState,
  statusesBelow,
} from '@loket/core';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
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

type ClaimedRow = {
  jobId: string;
  messageId: string;
  ticketId: string;
  channel: string;
  threadId: string;
  text: string;
  automated: boolean;
  attempts: number;
  queuedAt: Date;
};

/**
 * The outbound queue. A claim is a lease: the job turns `running` until `lockedUntil`, and a job whose
 * lease ran out (its worker died mid-send) is due again.
 */
export function createDeliveryQueue(prisma: PrismaClient): DeliveryQueue {
  return {
    async claimDue({ now, limit, leaseMs, channels }) {
      if (!channels.length || limit <= 0) return [];
      const leaseUntil = new Date(now.getTime() + leaseMs);
      // One statement: pick due jobs, skipping rows another worker has locked right now, and lease
      // them. Attempts count at claim time, so a worker that dies mid-send still uses one up.
      // Results come back in queue order, so messages to one chat are sent in the order written.
      const rows = await prisma.$queryRaw<ClaimedRow[]>`
        WITH due AS (
          SELECT j.id FROM "DeliveryJob" j
          WHERE j.channel IN (${Prisma.join(channels)})
            AND ((j.status = 'queued' AND j."runAt" <= ${now})
              OR (j.status = 'running' AND j."lockedUntil" <= ${now}))
          ORDER BY j."runAt", j."createdAt", j.id
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED
        ), claimed AS (
          UPDATE "DeliveryJob" j
          SET status = 'running', "lockedUntil" = ${leaseUntil}, attempts = j.attempts + 1, "updatedAt" = ${now}
          FROM due WHERE j.id = due.id
          RETURNING j.id, j."messageId", j.channel, j.attempts - 1 AS attempts, j."runAt", j."createdAt"
        )
        SELECT c.id AS "jobId", c."messageId", m."ticketId", c.channel, t."threadId", m.text, m.automated,
               c.attempts, c."createdAt" AS "queuedAt"
        FROM claimed c
        JOIN "Message" m ON m.id = c."messageId"
        JOIN "Ticket" t ON t.id = m."ticketId"
        ORDER BY c."runAt", c."createdAt", c.id`;
      const files = rows.length
        ? await prisma.attachment.findMany({
            where: { messageId: { in: rows.map((row) => row.messageId) }, storageKey: { not: null } },
            orderBy: { position: 'asc' },
            select: { messageId: true, name: true, mime: true, storageKey: true },
          })
        : [];
      return rows.map(
        (row): DeliveryTask => ({
          jobId: row.jobId,
          messageId: row.messageId,
          ticketId: row.ticketId,
          channel: row.channel as ChannelName,
          threadId: row.threadId,
          text: row.text,
          attachments: files
            .filter((file) => file.messageId === row.messageId)
            .map((file) => ({
              name: file.name ?? 'lampiran',
              mime: file.mime,
              storageKey: file.storageKey ?? '',
            })),
          automated: row.automated,
          attempts: Number(row.attempts),
          queuedAt: row.queuedAt,
        }),
      );
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
        await tx.deliveryJob.update({
          where: { id: task.jobId },
          data: { status: 'done', lockedUntil: null, lastError: null },
        });
        // Acknowledgements are automatic; only an officer's reply answers the citizen. The first one
        // sent stops the first-response clock, later ones leave it alone.
        if (!task.automated) {
          await tx.ticket.updateMany({
            where: { id: task.ticketId, firstRespondedAt: null },
            data: { firstRespondedAt: sentAt },
          });
        }
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

    async retryLater(task, { runAt, error }) {
      await prisma.deliveryJob.update({
        where: { id: task.jobId },
        data: { status: 'queued', runAt, lockedUntil: null, lastError: error },
      });
    },

    async markFailed(task, { error }) {
      await prisma.$transaction(async (tx) => {
        await tx.deliveryJob.update({
          where: { id: task.jobId },
          data: { status: 'failed', lockedUntil: null, lastError: error },
        });
        await tx.message.update({ where: { id: task.messageId }, data: { deliveryStatus: 'failed', error } });
        await recordEvent(tx, 'message.status', task.ticketId, {
          messageId: task.messageId,
          ticketId: task.ticketId,
          deliveryStatus: 'failed',
          error,
        });
      });
    },
  };
}
