import type { EventLog, EventType, LoketEvent } from '@loket/core';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { jsonRows } from './json-rows.ts';

type Tx = Prisma.TransactionClient;

/**
 * Writes one event in the caller's transaction, so it exists exactly when the change it describes
 * does. Payloads hold ids and states only (see core's events.ts).
 */
export async function recordEvent(
  tx: Tx,
  type: EventType,
  ticketId: string | null,
  payload: Record<string, unknown>,
): Promise<void> {
  await tx.event.create({ data: { type, ticketId, payload: payload as Prisma.InputJsonObject } });
}

export type NewEvent = { type: EventType; ticketId: string | null; payload: Record<string, unknown> };

/**
 * `recordEvent` for many events in one statement; their ids follow the order given. The events go as
 * one JSON text: cheaper to send and to parse than an array parameter per column.
 */
export async function recordEvents(tx: Tx, events: NewEvent[]): Promise<void> {
  if (!events.length) return;
  await tx.$executeRaw`
    INSERT INTO "Event" (type, "ticketId", payload)
    SELECT type, "ticketId", payload
    FROM ROWS FROM (json_to_recordset(${jsonRows(events)}::json) AS (type text, "ticketId" text, payload jsonb))
      WITH ORDINALITY AS e(type, "ticketId", payload, position)
    ORDER BY position`;
}

/** What a `message.created` event carries: ids and states, never the text or the files. */
export function messageCreatedPayload(message: {
  id: string;
  ticketId: string;
  channel: string;
  direction: string;
  automated?: boolean;
  deliveryStatus?: string | null;
  attachments?: readonly unknown[];
}): Record<string, unknown> {
  return {
    message: {
      id: message.id,
      ticketId: message.ticketId,
      channel: message.channel,
      direction: message.direction,
      automated: message.automated ?? false,
      deliveryStatus: message.deliveryStatus ?? null,
      attachments: message.attachments?.length ?? 0,
    },
  };
}

/** The part of a ticket that events carry: what changed, not who the citizen is. */
export function ticketSummary(ticket: {
  id: string;
  number: string;
  channel: string;
  status: string;
  service: string;
  priority: string;
  assigneeId: string | null;
}): Record<string, unknown> {
  return {
    id: ticket.id,
    number: ticket.number,
    channel: ticket.channel,
    status: ticket.status,
    service: ticket.service,
    priority: ticket.priority,
    assigneeId: ticket.assigneeId,
  };
}

type EventRow = {
  id: bigint;
  type: string;
  ticketId: string | null;
  payload: Record<string, unknown>;
  at: Date;
  readAt: Date;
};

export function createEventLog(prisma: PrismaClient): EventLog {
  return {
    async after(afterId, limit) {
      const cursor = /^\d{1,19}$/.test(afterId) ? BigInt(afterId) : 0n;
      // The database's own clock comes back with the rows: gaps are judged against it, not ours.
      const rows = await prisma.$queryRaw<EventRow[]>`
        SELECT id, type, "ticketId", payload, at, clock_timestamp() AS "readAt"
        FROM "Event" WHERE id > ${cursor} ORDER BY id LIMIT ${Math.max(1, Math.min(limit, 1000))}`;
      const readAt =
        rows[0]?.readAt ?? (await prisma.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`)[0]?.now;
      return {
        readAt: readAt ?? new Date(),
        events: rows.map(
          (row): LoketEvent => ({
            id: row.id.toString(),
            type: row.type as EventType,
            ticketId: row.ticketId,
            payload: row.payload,
            at: row.at,
          }),
        ),
      };
    },

    async latestId() {
      const rows = await prisma.$queryRaw<{ id: bigint | null }[]>`SELECT max(id) AS id FROM "Event"`;
      return (rows[0]?.id ?? 0n).toString();
    },
  };
}
