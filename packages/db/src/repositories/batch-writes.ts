// The inbox transaction's batched writes (the SLA sweep's chunks): each writes all its rows in one
// multi-row INSERT … SELECT FROM json_to_recordset($1) per table, the rows sent as one JSON text, so a
// chunk of a thousand tickets costs a handful of statements instead of thousands. One JSON parameter
// (JSON.stringify, parsed by the server in C) costs a fraction of what an array parameter per column
// did: the driver escaped every element of those in JavaScript, and the server parsed each array.
import { randomUUID } from 'node:crypto';
import type { Complaint, InboxTransaction, Message, NewTextMessage } from '@loket/core';
import { Prisma } from '../generated/prisma/client.ts';
import { messageCreatedPayload, recordEvents } from './event-log.ts';
import { jsonRows } from './json-rows.ts';
import { toComplaint } from './records.ts';

type Tx = Prisma.TransactionClient;

type BatchWriteMethods = Pick<
  InboxTransaction,
  | 'recordAudits'
  | 'appendTextMessages'
  | 'findActiveComplaints'
  | 'reserveComplaintSequences'
  | 'createComplaints'
>;

/**
 * Times go in as ISO text (UTC, with its `Z`), read as `timestamptz` and stored as UTC wall time: the
 * columns are `timestamp(3)` without a zone, as Prisma writes them.
 */
const iso = (at: Date | null) => at?.toISOString() ?? null;

/** A `timestamptz` column of the input as the UTC wall time the `timestamp(3)` columns hold. */
const utc = (column: string) => Prisma.raw(`"${column}" AT TIME ZONE 'UTC'`);

export function batchWriteMethods(tx: Tx): BatchWriteMethods {
  return {
    async recordAudits(entries) {
      if (!entries.length) return;
      const rows = entries.map((entry) => ({
        id: randomUUID(),
        actorId: entry.actorId,
        action: entry.action,
        target: entry.target,
        meta: entry.meta ?? null,
        at: iso(entry.at),
      }));
      await tx.$executeRaw`
        INSERT INTO "AuditLog" (id, "actorId", action, target, meta, at)
        SELECT id, "actorId", action, target, meta, ${utc('at')} FROM json_to_recordset(${jsonRows(rows)}::json)
          AS a(id text, "actorId" text, action text, target text, meta jsonb, at timestamptz)`;
    },

    async appendTextMessages(messages) {
      if (!messages.length) return [];
      const stored: Message[] = messages.map((message) => ({
        id: randomUUID(),
        ticketId: message.ticketId,
        direction: message.direction,
        text: message.text,
        attachments: [],
        authorId: message.authorId ?? null,
        automated: message.automated ?? false,
        createdAt: message.createdAt,
        deliveryStatus: message.deliveryStatus ?? null,
        error: null,
        externalId: null,
        sentAt: null,
        extra: null,
      }));
      const rows = stored.map((message, index) => ({
        id: message.id,
        ticketId: message.ticketId,
        channel: (messages[index] as NewTextMessage).channel,
        direction: message.direction,
        text: message.text,
        authorId: message.authorId,
        automated: message.automated,
        deliveryStatus: message.deliveryStatus,
        createdAt: iso(message.createdAt),
      }));
      await tx.$executeRaw`
        INSERT INTO "Message" (id, "ticketId", channel, direction, text, "authorId", automated, "deliveryStatus", "createdAt")
        SELECT id, "ticketId", channel, direction::"MessageDirection", text, "authorId", automated,
          "deliveryStatus"::"DeliveryStatus", ${utc('createdAt')}
        FROM json_to_recordset(${jsonRows(rows)}::json) AS m(id text, "ticketId" text, channel text,
          direction text, text text, "authorId" text, automated boolean, "deliveryStatus" text, "createdAt" timestamptz)`;
      await recordEvents(
        tx,
        stored.map((message, index) => ({
          type: 'message.created',
          ticketId: message.ticketId,
          payload: messageCreatedPayload({
            ...message,
            channel: (messages[index] as NewTextMessage).channel,
          }),
        })),
      );
      return stored;
    },

    async findActiveComplaints(ticketIds) {
      if (!ticketIds.length) return [];
      const rows = await tx.complaint.findMany({
        where: { ticketId: { in: ticketIds }, status: { notIn: ['resolved', 'rejected'] } },
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      });
      return rows.map(toComplaint);
    },

    async reserveComplaintSequences(year, count) {
      if (!Number.isInteger(count) || count < 1) throw new Error(`cannot reserve ${count} complaint numbers`);
      // One statement, atomic under concurrency; the row lock holds until commit, so the numbers of a
      // rolled-back chunk are taken again by the next one instead of leaving a gap.
      const rows = await tx.$queryRaw<{ value: number }[]>`
        INSERT INTO "ComplaintCounter" (year, value) VALUES (${year}, ${count})
        ON CONFLICT (year) DO UPDATE SET value = "ComplaintCounter".value + EXCLUDED.value
        RETURNING value`;
      const last = rows[0]?.value;
      if (last === undefined) throw new Error(`complaint counter for ${year} returned no row`);
      return Number(last) - count + 1;
    },

    async createComplaints(complaints) {
      if (!complaints.length) return [];
      const created: Complaint[] = complaints.map((complaint) => ({
        id: randomUUID(),
        number: complaint.number,
        ticketId: complaint.ticketId,
        reason: complaint.reason,
        status: 'received',
        stageDueAt: complaint.stageDueAt,
        escalatedAt: null,
        resolution: null,
        createdAt: complaint.createdAt,
        updatedAt: complaint.createdAt,
      }));
      const rows = created.map((complaint, index) => ({
        id: complaint.id,
        eventId: randomUUID(),
        number: complaint.number,
        ticketId: complaint.ticketId,
        reason: complaint.reason,
        stageDueAt: iso(complaint.stageDueAt),
        createdAt: iso(complaint.createdAt),
        actorId: (complaints[index] as (typeof complaints)[number]).actorId,
      }));
      // The complaint and its first history row in one statement: the history row's foreign key is
      // checked at the end of the statement, when the complaint exists.
      await tx.$executeRaw`
        WITH input AS (
          SELECT * FROM json_to_recordset(${jsonRows(rows)}::json) AS c(id text, "eventId" text, number text,
            "ticketId" text, reason text, "stageDueAt" timestamptz, "createdAt" timestamptz, "actorId" text)
        ), complaints AS (
          INSERT INTO "Complaint" (id, number, "ticketId", reason, status, "stageDueAt", "createdAt", "updatedAt")
          SELECT id, number, "ticketId", reason::"ComplaintReason", 'received', ${utc('stageDueAt')},
            ${utc('createdAt')}, ${utc('createdAt')}
          FROM input
        )
        INSERT INTO "ComplaintEvent" (id, "complaintId", "toStatus", "actorId", at)
        SELECT "eventId", id, 'received', "actorId", ${utc('createdAt')} FROM input`;
      await recordEvents(
        tx,
        created.map((complaint) => ({
          type: 'complaint.created',
          ticketId: complaint.ticketId,
          payload: { complaint: complaintSummary(complaint) },
        })),
      );
      return created;
    },
  };
}

/** What complaint events carry: ids and states, never the resolution text. */
export function complaintSummary(row: {
  id: string;
  number: string;
  ticketId: string;
  status: string;
  stageDueAt: Date | null;
  escalatedAt: Date | null;
}): Record<string, unknown> {
  return {
    id: row.id,
    number: row.number,
    ticketId: row.ticketId,
    status: row.status,
    stageDueAt: row.stageDueAt?.toISOString() ?? null,
    escalated: row.escalatedAt !== null,
  };
}
