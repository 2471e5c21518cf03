import { type ReplyWindows, replyWindowEndsAt } from '../channel/reply-window.ts';
import { slaStateAt } from '../sla/sla-state.ts';
import type { Ticket, TicketRecord } from './types.ts';

export function toTicketView(ticket: TicketRecord, now: Date, replyWindows: ReplyWindows = {}): Ticket {
  return {
    id: ticket.id,
    number: ticket.number,
    status: ticket.status,
    channel: ticket.channel,
    service: ticket.service,
    priority: ticket.priority,
    contact: { id: ticket.contactId, displayName: ticket.contactName },
    assigneeId: ticket.assigneeId,
    slaState: slaStateAt(ticket, now),
    firstResponseDueAt: ticket.firstResponseDueAt,
    firstRespondedAt: ticket.firstRespondedAt,
    createdAt: ticket.createdAt,
    lastMessageAt: ticket.lastMessageAt,
    replyWindowEndsAt: replyWindowEndsAt(ticket.channel, ticket.lastInboundAt, replyWindows),
  };
}

export function formatTicketNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}-${year}-${String(sequence).padStart(6, '0')}`;
}

/** The calendar year at `at` in the office's time zone (a message at 23:30 UTC on 31 Dec is already next year in WIB). */
export function yearIn(timeZone: string, at: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(at));
}
