import type { ChannelName, DeliveryQueue, DeliveryTask } from '@loket/core';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

type ClaimedRow = {
  jobId: string;
  messageId: string;
  ticketId: string;
  channel: string;
  threadId: string;
  text: string;
  automated: boolean;
  attempts: number;
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
               c.attempts
        FROM claimed c
        JOIN "Message" m ON m.id = c."messageId"
        JOIN "Ticket" t ON t.id = m."ticketId"
        ORDER BY c."runAt", c."createdAt", c.id`;
      return rows.map(
        (row): DeliveryTask => ({
          jobId: row.jobId,
          messageId: row.messageId,
          ticketId: row.ticketId,
          channel: row.channel as ChannelName,
          threadId: row.threadId,
          text: row.text,
          automated: row.automated,
          attempts: Number(row.attempts),
        }),
      );
    },

    async markSent(task, { externalId, sentAt }) {
      await prisma.$transaction(async (tx) => {
        await tx.message.update({
          where: { id: task.messageId },
          data: { deliveryStatus: 'sent', externalId, sentAt, error: null },
        });
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
      });
    },
  };
}
