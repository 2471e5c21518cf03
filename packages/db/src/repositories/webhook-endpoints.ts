import { randomUUID } from 'node:crypto';
import {
  type EventType,
  isEventType,
  type WebhookEndpoint,
  type WebhookEndpointStore,
  type WebhookTurn,
} from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { batchWriteMethods } from './batch-writes.ts';
import { isQueryableText } from './records.ts';

function eventTypesOf(stored: string[] | null): EventType[] {
  return (stored ?? []).filter(isEventType);
}

function toEndpoint(row: Rows.WebhookEndpoint): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: eventTypesOf(row.events),
    active: row.active,
    description: row.description,
    lastEventId: row.lastEventId.toString(),
    failures: row.failures,
    nextAttemptAt: row.nextAttemptAt,
    lastError: row.lastError,
    lastDeliveredAt: row.lastDeliveredAt,
    failingSince: row.failingSince,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function cursorOf(eventId: string): bigint {
  return /^\d{1,19}$/.test(eventId) ? BigInt(eventId) : 0n;
}

const MAX_ERROR_LENGTH = 300;

/**
 * Outgoing webhook endpoints and their delivery state. The schema has no lease column, so a
 * gateway's turn is `nextAttemptAt` set into the future: due endpoints have it null or past, and
 * every write of a turn is conditional on the exact value its claim wrote (a fencing token).
 */
export function createWebhookEndpointStore(prisma: PrismaClient): WebhookEndpointStore {
  /**
   * A conditional write of the turn's row; false when the turn no longer holds the lease. With
   * `stillSending`, also false once the endpoint was switched off or given a new secret: the turn
   * must not send another event with what it read at its claim.
   */
  async function writeIfHeld(
    turn: WebhookTurn,
    data: Prisma.WebhookEndpointUpdateManyMutationInput,
    options: { stillSending: boolean },
  ): Promise<boolean> {
    const { count } = await prisma.webhookEndpoint.updateMany({
      where: {
        id: turn.id,
        nextAttemptAt: turn.lease,
        ...(options.stillSending ? { active: true, url: turn.url, secret: turn.secret } : {}),
      },
      data,
    });
    return count === 1;
  }

  return {
    async list() {
      const rows = await prisma.webhookEndpoint.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return rows.map(toEndpoint);
    },

    async get(id) {
      if (!isQueryableText(id)) return null;
      const row = await prisma.webhookEndpoint.findUnique({ where: { id } });
      return row ? toEndpoint(row) : null;
    },

    async create(endpoint) {
      const row = await prisma.webhookEndpoint.create({
        data: {
          id: randomUUID(),
          url: endpoint.url,
          secret: endpoint.secret,
          events: endpoint.events,
          description: endpoint.description,
          lastEventId: cursorOf(endpoint.lastEventId),
        },
      });
      return toEndpoint(row);
    },

    async update(id, change) {
      if (!isQueryableText(id)) return null;
      return prisma.$transaction(async (tx) => {
        const before = await tx.webhookEndpoint.findUnique({ where: { id } });
        if (!before) return null;
        const reactivated = change.active === true && !before.active;
        const moved = change.url !== undefined && change.url !== before.url;
        const row = await tx.webhookEndpoint.update({
          where: { id },
          data: {
            ...(change.url !== undefined ? { url: change.url } : {}),
            ...(change.events !== undefined ? { events: change.events } : {}),
            ...(change.active !== undefined ? { active: change.active } : {}),
            ...(change.description !== undefined ? { description: change.description } : {}),
            // A fresh start deserves a prompt try; clearing nextAttemptAt also voids a turn in flight.
            ...(reactivated || moved ? { failures: 0, nextAttemptAt: null, failingSince: null } : {}),
            ...(reactivated ? { disabledAt: null, disabledReason: null } : {}),
          },
        });
        return toEndpoint(row);
      });
    },

    async setSecret(id, secret) {
      if (!isQueryableText(id)) return null;
      const { count } = await prisma.webhookEndpoint.updateMany({ where: { id }, data: { secret } });
      if (count === 0) return null;
      const row = await prisma.webhookEndpoint.findUnique({ where: { id } });
      return row ? toEndpoint(row) : null;
    },

    async delete(id) {
      if (!isQueryableText(id)) return false;
      const { count } = await prisma.webhookEndpoint.deleteMany({ where: { id } });
      return count === 1;
    },

    async listDue(now, latestEventId) {
      const rows = await prisma.webhookEndpoint.findMany({
        where: {
          active: true,
          lastEventId: { lt: cursorOf(latestEventId) },
          OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }],
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        select: { id: true },
      });
      return rows.map((row) => row.id);
    },

    async claim(id, now, leaseUntil) {
      // One conditional UPDATE: PostgreSQL re-checks the WHERE after waiting for a concurrent writer,
      // so of two gateways claiming at once exactly one sees its count at 1.
      const { count } = await prisma.webhookEndpoint.updateMany({
        where: { id, active: true, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
        data: { nextAttemptAt: leaseUntil },
      });
      if (count === 0) return null;
      const row = await prisma.webhookEndpoint.findUnique({ where: { id } });
      // Edited between the claim and this read (a PATCH clears the lease): leave it to the next tick.
      if (!row || row.nextAttemptAt?.getTime() !== leaseUntil.getTime()) return null;
      return {
        id: row.id,
        url: row.url,
        secret: row.secret,
        events: eventTypesOf(row.events),
        lastEventId: row.lastEventId.toString(),
        failures: row.failures,
        failingSince: row.failingSince,
        lease: leaseUntil,
      };
    },

    async advance(turn, change) {
      const held = await writeIfHeld(
        turn,
        {
          lastEventId: cursorOf(change.lastEventId),
          nextAttemptAt: change.leaseUntil,
          ...(change.deliveredAt
            ? { lastDeliveredAt: change.deliveredAt, failures: 0, lastError: null, failingSince: null }
            : {}),
        },
        { stillSending: true },
      );
      if (!held) return null;
      return {
        ...turn,
        lastEventId: change.lastEventId,
        failures: change.deliveredAt ? 0 : turn.failures,
        failingSince: change.deliveredAt ? null : turn.failingSince,
        lease: change.leaseUntil,
      };
    },

    async release(turn, lastEventId) {
      await writeIfHeld(
        turn,
        { lastEventId: cursorOf(lastEventId), nextAttemptAt: null },
        { stillSending: false },
      );
    },

    async recordFailure(turn, failure) {
      await writeIfHeld(
        turn,
        {
          lastEventId: cursorOf(failure.lastEventId),
          failures: turn.failures + 1,
          nextAttemptAt: failure.retryAt,
          lastError: failure.error.slice(0, MAX_ERROR_LENGTH),
          failingSince: turn.failingSince ?? failure.failedAt,
        },
        { stillSending: false },
      );
    },

    async disable(turn, failure) {
      return prisma.$transaction(async (tx) => {
        const { count } = await tx.webhookEndpoint.updateMany({
          where: { id: turn.id, nextAttemptAt: turn.lease },
          data: {
            lastEventId: cursorOf(failure.lastEventId),
            failures: turn.failures + 1,
            nextAttemptAt: null,
            lastError: failure.error.slice(0, MAX_ERROR_LENGTH),
            failingSince: turn.failingSince ?? failure.audit.at,
            active: false,
            disabledAt: failure.audit.at,
            disabledReason: failure.reason.slice(0, MAX_ERROR_LENGTH + 100),
          },
        });
        if (count === 0) return false;
        await batchWriteMethods(tx).recordAudits([failure.audit]);
        return true;
      });
    },
  };
}
