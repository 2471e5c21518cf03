// The SLA clock's and the complaint pipeline's part of the inbox transaction.
import { randomUUID } from 'node:crypto';
import type { Complaint, InboxTransaction, TicketRecord } from '@loket/core';
import type { Prisma } from '../generated/prisma/client.ts';
import { recordEvent, ticketSummary } from './event-log.ts';
import { isQueryableText, ticketInclude, toComplaint, toTicketRecord } from './records.ts';

type Tx = Prisma.TransactionClient;

type SlaComplaintMethods = Pick<
  InboxTransaction,
  | 'claimDueSlaWarnings'
  | 'claimDueSlaBreaches'
  | 'markAfterHoursNotice'
  | 'setTicketService'
  | 'findTicketByNumber'
  | 'findActiveComplaint'
  | 'getComplaint'
  | 'nextComplaintSequence'
  | 'createComplaint'
  | 'updateComplaint'
  | 'claimOverdueComplaints'
  | 'recordAudit'
>;

function slaPayload(ticket: TicketRecord): Record<string, unknown> {
  return {
    ticket: ticketSummary(ticket),
    firstResponseDueAt: ticket.firstResponseDueAt.toISOString(),
  };
}

function complaintSummary(row: {
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

async function ticketsByIds(tx: Tx, ids: { id: string }[]): Promise<TicketRecord[]> {
  if (!ids.length) return [];
  const rows = await tx.ticket.findMany({
    where: { id: { in: ids.map((row) => row.id) } },
    include: ticketInclude,
    orderBy: [{ firstResponseDueAt: 'asc' }, { id: 'asc' }],
  });
  return rows.map(toTicketRecord);
}

export function slaAndComplaintMethods(tx: Tx): SlaComplaintMethods {
  return {
    // Both claims read the (firstRespondedAt, sla…At, due) index with its IS NULL prefix, so they
    // touch only the tickets that are due; SKIP LOCKED lets two gateways sweep side by side.
    async claimDueSlaWarnings(now, limit) {
      const ids = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "Ticket" SET "slaWarnedAt" = ${now}
        WHERE id IN (
          SELECT id FROM "Ticket"
          WHERE "firstRespondedAt" IS NULL AND "slaWarnedAt" IS NULL AND "slaWarnAt" <= ${now}
            -- Already due (the server was down through the warning): the breach says it all.
            AND "firstResponseDueAt" > ${now}
          ORDER BY "slaWarnAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id`;
      const tickets = await ticketsByIds(tx, ids);
      for (const ticket of tickets) {
        await recordEvent(tx, 'sla.warning', ticket.id, slaPayload(ticket));
      }
      return tickets;
    },

    async claimDueSlaBreaches(now, limit) {
      const ids = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "Ticket" SET "slaBreachedAt" = ${now}, "slaWarnedAt" = COALESCE("slaWarnedAt", ${now})
        WHERE id IN (
          SELECT id FROM "Ticket"
          WHERE "firstRespondedAt" IS NULL AND "slaBreachedAt" IS NULL AND "firstResponseDueAt" <= ${now}
          ORDER BY "firstResponseDueAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id`;
      const tickets = await ticketsByIds(tx, ids);
      for (const ticket of tickets) {
        await recordEvent(tx, 'sla.breached', ticket.id, slaPayload(ticket));
      }
      return tickets;
    },

    async setTicketService(ticketId, service) {
      await tx.ticket.update({ where: { id: ticketId }, data: { service } });
      await recordEvent(tx, 'ticket.updated', ticketId, { ticketId, changes: { service } });
    },

    async findTicketByNumber(number) {
      if (!isQueryableText(number)) return null;
      const row = await tx.ticket.findUnique({ where: { number }, include: ticketInclude });
      return row ? toTicketRecord(row) : null;
    },

    async markAfterHoursNotice(ticketId, nextOpening) {
      await tx.ticket.update({ where: { id: ticketId }, data: { afterHoursNoticeFor: nextOpening } });
    },

    async findActiveComplaint(ticketId) {
      const row = await tx.complaint.findFirst({
        where: { ticketId, status: { notIn: ['resolved', 'rejected'] } },
        orderBy: { createdAt: 'desc' },
      });
      return row ? toComplaint(row) : null;
    },

    async getComplaint(complaintId, options) {
      if (!isQueryableText(complaintId)) return null;
      if (options?.lock) await tx.$queryRaw`SELECT id FROM "Complaint" WHERE id = ${complaintId} FOR UPDATE`;
      const row = await tx.complaint.findUnique({ where: { id: complaintId } });
      return row ? toComplaint(row) : null;
    },

    async nextComplaintSequence(year) {
      const rows = await tx.$queryRaw<{ value: number }[]>`
        INSERT INTO "ComplaintCounter" (year, value) VALUES (${year}, 1)
        ON CONFLICT (year) DO UPDATE SET value = "ComplaintCounter".value + 1
        RETURNING value`;
      const value = rows[0]?.value;
      if (value === undefined) throw new Error(`complaint counter for ${year} returned no row`);
      return Number(value);
    },

    async createComplaint(complaint): Promise<Complaint> {
      const row = await tx.complaint.create({
        data: {
          id: randomUUID(),
          number: complaint.number,
          ticketId: complaint.ticketId,
          reason: complaint.reason,
          stageDueAt: complaint.stageDueAt,
          createdAt: complaint.createdAt,
          events: {
            create: {
              id: randomUUID(),
              toStatus: 'received',
              actorId: complaint.actorId,
              at: complaint.createdAt,
            },
          },
        },
      });
      await recordEvent(tx, 'complaint.created', row.ticketId, { complaint: complaintSummary(row) });
      return toComplaint(row);
    },

    async updateComplaint(complaintId, change) {
      const before = await tx.complaint.findUniqueOrThrow({
        where: { id: complaintId },
        select: { status: true },
      });
      const row = await tx.complaint.update({
        where: { id: complaintId },
        data: {
          status: change.status,
          stageDueAt: change.stageDueAt,
          // A new stage has its own deadline, so it can be escalated again.
          escalatedAt: null,
          ...(change.resolution !== undefined ? { resolution: change.resolution } : {}),
          events: {
            create: {
              id: randomUUID(),
              fromStatus: before.status,
              toStatus: change.status,
              actorId: change.actorId,
              note: change.note ?? null,
              at: change.at,
            },
          },
        },
      });
      await recordEvent(tx, 'complaint.updated', row.ticketId, {
        complaint: complaintSummary(row),
        fromStatus: before.status,
      });
      return toComplaint(row);
    },

    async claimOverdueComplaints(now, limit) {
      const ids = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "Complaint" SET "escalatedAt" = ${now}
        WHERE id IN (
          SELECT id FROM "Complaint"
          WHERE "escalatedAt" IS NULL AND "stageDueAt" <= ${now}
            AND status NOT IN ('resolved', 'rejected')
          ORDER BY "stageDueAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING id`;
      if (!ids.length) return [];
      const rows = await tx.complaint.findMany({
        where: { id: { in: ids.map((row) => row.id) } },
        orderBy: { stageDueAt: 'asc' },
      });
      for (const row of rows) {
        await recordEvent(tx, 'complaint.updated', row.ticketId, {
          complaint: complaintSummary(row),
          escalated: true,
        });
      }
      return rows.map(toComplaint);
    },

    async recordAudit(entry) {
      await tx.auditLog.create({
        data: {
          id: randomUUID(),
          actorId: entry.actorId,
          action: entry.action,
          target: entry.target,
          at: entry.at,
          ...(entry.meta ? { meta: entry.meta as Prisma.InputJsonObject } : {}),
        },
      });
    },
  };
}
