// The SLA clock's and the complaint pipeline's part of the inbox transaction (the batched writes are
// in batch-writes.ts).
import { randomUUID } from 'node:crypto';
import type { Complaint, InboxTransaction, TicketRecord } from '@loket/core';
import type * as Rows from '../generated/prisma/client.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { batchWriteMethods, complaintSummary } from './batch-writes.ts';
import { recordEvent, recordEvents, ticketSummary } from './event-log.ts';
import { isQueryableText, type TicketRow, ticketInclude, toComplaint, toTicketRecord } from './records.ts';

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
  | 'recordAudits'
  | 'appendTextMessages'
  | 'findActiveComplaints'
  | 'reserveComplaintSequences'
  | 'createComplaints'
>;

function slaPayload(ticket: TicketRecord): Record<string, unknown> {
  return {
    ticket: ticketSummary(ticket),
    firstResponseDueAt: ticket.firstResponseDueAt.toISOString(),
  };
}

type ClaimedTicketRow = Omit<TicketRow, 'contact'> & { contactDisplayName: string };

/**
 * The claimed ticket's contact name, looked up by primary key per claimed row. A join lets the planner
 * hash the whole Contact table for every chunk, a cost that grows with every citizen, not with what is due.
 */
const contactName = Prisma.sql`(SELECT contact."displayName" FROM "Contact" AS contact WHERE contact.id = claimed."contactId")`;

/** The claimed rows as core's tickets, in due order, each with its event written in one statement. */
async function claimedTickets(
  tx: Tx,
  rows: ClaimedTicketRow[],
  event: 'sla.warning' | 'sla.breached',
): Promise<TicketRecord[]> {
  const tickets = rows.map(({ contactDisplayName, ...row }) =>
    toTicketRecord({ ...row, contact: { displayName: contactDisplayName } }),
  );
  await recordEvents(
    tx,
    tickets.map((ticket) => ({ type: event, ticketId: ticket.id, payload: slaPayload(ticket) })),
  );
  return tickets;
}

export function slaAndComplaintMethods(tx: Tx): SlaComplaintMethods {
  return {
    ...batchWriteMethods(tx),
    // Each claim is one statement: the due rows, read from the (firstRespondedAt, sla…At, due) index
    // with its IS NULL prefix so that only tickets that are due are touched, locked with SKIP LOCKED
    // (two gateways sweep side by side, each its own rows), updated, and returned with the contact's
    // name. The UPDATE re-checks the condition on the row it locked, so a transition happens once.
    async claimDueSlaWarnings(now, limit) {
      const rows = await tx.$queryRaw<ClaimedTicketRow[]>`
        WITH due AS (
          SELECT id FROM "Ticket"
          WHERE "firstRespondedAt" IS NULL AND "slaWarnedAt" IS NULL AND "slaWarnAt" <= ${now}
            -- Already due (the server was down through the warning): the breach says it all.
            AND "firstResponseDueAt" > ${now}
          ORDER BY "slaWarnAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ), claimed AS (
          UPDATE "Ticket" AS t SET "slaWarnedAt" = ${now} FROM due WHERE t.id = due.id RETURNING t.*
        )
        SELECT claimed.*, ${contactName} AS "contactDisplayName"
        FROM claimed ORDER BY claimed."slaWarnAt", claimed.id`;
      return claimedTickets(tx, rows, 'sla.warning');
    },

    async claimDueSlaBreaches(now, limit) {
      const rows = await tx.$queryRaw<ClaimedTicketRow[]>`
        WITH due AS (
          SELECT id FROM "Ticket"
          WHERE "firstRespondedAt" IS NULL AND "slaBreachedAt" IS NULL AND "firstResponseDueAt" <= ${now}
          ORDER BY "firstResponseDueAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
        ), claimed AS (
          UPDATE "Ticket" AS t SET "slaBreachedAt" = ${now}, "slaWarnedAt" = COALESCE(t."slaWarnedAt", ${now})
          FROM due WHERE t.id = due.id RETURNING t.*
        )
        SELECT claimed.*, ${contactName} AS "contactDisplayName"
        FROM claimed ORDER BY claimed."firstResponseDueAt", claimed.id`;
      return claimedTickets(tx, rows, 'sla.breached');
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
      const rows = await tx.$queryRaw<Rows.Complaint[]>`
        WITH due AS (
          SELECT id FROM "Complaint"
          WHERE "escalatedAt" IS NULL AND "stageDueAt" <= ${now}
            AND status NOT IN ('resolved', 'rejected')
          ORDER BY "stageDueAt" LIMIT ${limit} FOR UPDATE SKIP LOCKED
        )
        UPDATE "Complaint" AS c SET "escalatedAt" = ${now} FROM due WHERE c.id = due.id
        RETURNING c.*`;
      rows.sort((a, b) => (a.stageDueAt?.getTime() ?? 0) - (b.stageDueAt?.getTime() ?? 0));
      await recordEvents(
        tx,
        rows.map((row) => ({
          type: 'complaint.updated',
          ticketId: row.ticketId,
          payload: { complaint: complaintSummary(row), escalated: true },
        })),
      );
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
