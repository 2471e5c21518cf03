// The inbox transaction's batched writes (the SLA sweep's chunks): each writes all its rows in one
// multi-row INSERT … SELECT FROM unnest(…) per table, with one array parameter per column, so a chunk
// of a thousand tickets costs a handful of statements instead of thousands.
import { randomUUID } from 'node:crypto';
import type { Complaint, InboxTransaction, Message, NewTextMessage } from '@loket/core';
import type { Prisma } from '../generated/prisma/client.ts';
import { messageCreatedPayload, recordEvents } from './event-log.ts';
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
 * Times go in as ISO text and are stored as UTC wall time: the columns are `timestamp(3)` without a
 * zone, as Prisma writes them, and a Date inside an array parameter would be sent in the process's
 * local zone.
 */
const iso = (at: Date | null) => at?.toISOString() ?? null;

export function batchWriteMethods(tx: Tx): BatchWriteMethods {
  return {
    async recordAudits(entries) {
      if (!entries.length) return;
      await tx.$executeRaw`
        INSERT INTO "AuditLog" (id, "actorId", action, target, meta, at)
        SELECT id, "actorId", action, target, meta, at::timestamptz AT TIME ZONE 'UTC' FROM unnest(
          ${entries.map(() => randomUUID())}::text[],
          ${entries.map((entry) => entry.actorId)}::text[],
          ${entries.map((entry) => entry.action)}::text[],
          ${entries.map((entry) => entry.target)}::text[],
          ${entries.map((entry) => (entry.meta ? JSON.stringify(entry.meta) : null))}::jsonb[],
          ${entries.map((entry) => iso(entry.at))}::text[]
        ) AS a(id, "actorId", action, target, meta, at)`;
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
      await tx.$executeRaw`
        INSERT INTO "Message" (id, "ticketId", channel, direction, text, "authorId", automated, "deliveryStatus", "createdAt")
        SELECT id, "ticketId", channel, direction::"MessageDirection", text, "authorId", automated,
          "deliveryStatus"::"DeliveryStatus", "createdAt"::timestamptz AT TIME ZONE 'UTC'
        FROM unnest(
          ${stored.map((message) => message.id)}::text[],
          ${stored.map((message) => message.ticketId)}::text[],
          ${messages.map((message) => message.channel)}::text[],
          ${stored.map((message) => message.direction)}::text[],
          ${stored.map((message) => message.text)}::text[],
          ${stored.map((message) => message.authorId)}::text[],
          ${stored.map((message) => message.automated)}::boolean[],
          ${stored.map((message) => message.deliveryStatus)}::text[],
          ${stored.map((message) => iso(message.createdAt))}::text[]
        ) AS m(id, "ticketId", channel, direction, text, "authorId", automated, "deliveryStatus", "createdAt")`;
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
      await tx.$executeRaw`
        INSERT INTO "Complaint" (id, number, "ticketId", reason, status, "stageDueAt", "createdAt", "updatedAt")
        SELECT id, number, "ticketId", reason::"ComplaintReason", 'received',
          "stageDueAt"::timestamptz AT TIME ZONE 'UTC', "createdAt"::timestamptz AT TIME ZONE 'UTC',
          "createdAt"::timestamptz AT TIME ZONE 'UTC'
        FROM unnest(
          ${created.map((complaint) => complaint.id)}::text[],
          ${created.map((complaint) => complaint.number)}::text[],
          ${created.map((complaint) => complaint.ticketId)}::text[],
          ${created.map((complaint) => complaint.reason)}::text[],
          ${created.map((complaint) => iso(complaint.stageDueAt))}::text[],
          ${created.map((complaint) => iso(complaint.createdAt))}::text[]
        ) AS c(id, number, "ticketId", reason, "stageDueAt", "createdAt")`;
      await tx.$executeRaw`
        INSERT INTO "ComplaintEvent" (id, "complaintId", "toStatus", "actorId", at)
        SELECT id, "complaintId", 'received', "actorId", at::timestamptz AT TIME ZONE 'UTC' FROM unnest(
          ${created.map(() => randomUUID())}::text[],
          ${created.map((complaint) => complaint.id)}::text[],
          ${complaints.map((complaint) => complaint.actorId)}::text[],
          ${created.map((complaint) => iso(complaint.createdAt))}::text[]
        ) AS e(id, "complaintId", "actorId", at)`;
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
