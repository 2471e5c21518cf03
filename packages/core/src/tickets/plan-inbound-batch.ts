// The batched path's decisions, pure: given what the database holds (stored message ids, known
// contacts, active tickets), what a batch of citizen messages writes, message by message in arrival
// order, with the same rules as receiveMessage (dedupe, contact, ticket, SLA, Loket's own answers).
import { bannerCodeOf } from '../banners/banner-codes.ts';
import { BusinessCalendar } from '../calendar/business-calendar.ts';
import { classifyService } from '../classification/classify-service.ts';
import type { OfficePolicy } from '../policy/office-policy.ts';
import type { DeliveryJobInput } from '../ports.ts';
import { effectiveServices } from '../services/effective-services.ts';
import { firstResponseDeadlines } from '../sla/sla-state.ts';
import { autoReplyMessages, decideAutoReplies } from './citizen-auto-replies.ts';
import {
  type BatchContact,
  type BatchEvent,
  type InboundBatchWrites,
  identityKey,
  messageKey,
  type PlannedMessage,
  type TicketTouch,
} from './inbound-batch-types.ts';
import { extraOf, latestInbound, type ReceivedMessage, type ReceiveResult } from './receive-message.ts';
import { formatTicketNumber } from './ticket-view.ts';
import type { Message, TicketRecord } from './types.ts';

export type BatchSnapshot = {
  /** Stored messages among the batch's, by `messageKey`. */
  stored: Map<string, { id: string; ticketId: string }>;
  /** Known contacts by `identityKey` of the batch's senders. */
  contacts: Map<string, BatchContact>;
  /** Open and pending tickets of those contacts, newest first. */
  activeTickets: TicketRecord[];
};

const ticketKey = (contactId: string, channel: string, threadId: string) =>
  `${contactId}\n${channel}\n${threadId}`;

function newestActiveByKey(tickets: TicketRecord[]): Map<string, TicketRecord> {
  const byKey = new Map<string, TicketRecord>();
  for (const ticket of tickets) {
    const key = ticketKey(ticket.contactId, ticket.channel, ticket.threadId);
    if (!byKey.has(key)) byKey.set(key, ticket);
  }
  return byKey;
}

/**
 * How many tickets the batch opens: one per new (contact, channel, thread) among the messages that
 * are not duplicates. The store reserves that many numbers before the batch is planned.
 */
export function countTicketsToOpen(messages: ReceivedMessage[], snapshot: BatchSnapshot): number {
  const active = newestActiveByKey(snapshot.activeTickets);
  const seen = new Set<string>();
  const opened = new Set<string>();
  for (const message of messages) {
    const key = messageKey(message.channel, message.externalMessageId);
    if (snapshot.stored.has(key) || seen.has(key)) continue;
    seen.add(key);
    const contact = snapshot.contacts.get(identityKey(message.channel, message.externalUserId));
    // A new citizen has no contact id yet: their identity stands for it (one identity, one contact).
    const owner = contact?.id ?? `new:${identityKey(message.channel, message.externalUserId)}`;
    const key2 = ticketKey(owner, message.channel, message.externalThreadId);
    if (!active.has(key2)) opened.add(key2);
  }
  return opened.size;
}

type ContactState = { contact: BatchContact; isNew: boolean; filled: boolean };
type TicketState = { record: TicketRecord; isNew: boolean; touch: TicketTouch; lastUsedMs: number };

/**
 * Plans the batch. `firstSequence` is the first of the numbers reserved for the tickets it opens (in
 * the year of `now`, the batch's time). Every message is received at `now`, or a millisecond after the
 * previous one's answers on the same ticket, so a conversation lists in the order it arrived.
 */
export function planInboundBatch(input: {
  policy: OfficePolicy;
  messages: ReceivedMessage[];
  snapshot: BatchSnapshot;
  now: Date;
  year: number;
  firstSequence: number;
  newId: () => string;
}): { writes: InboundBatchWrites; results: ReceiveResult[] } {
  const { policy, snapshot, now, newId } = input;
  const services = effectiveServices(policy);
  const calendar = new BusinessCalendar(policy);
  const activeByKey = newestActiveByKey(snapshot.activeTickets);
  const contacts = new Map<string, ContactState>();
  const tickets = new Map<string, TicketState>();
  const storedInBatch = new Map<string, { id: string; ticketId: string }>();
  const messages: PlannedMessage[] = [];
  const events: BatchEvent[] = [];
  const deliveries: DeliveryJobInput[] = [];
  const identities: InboundBatchWrites['identities'] = [];
  let sequence = input.firstSequence;

  const contactOf = (message: ReceivedMessage, bannerCode: string | undefined): BatchContact => {
    const key = identityKey(message.channel, message.externalUserId);
    let state = contacts.get(key);
    if (!state) {
      const known = snapshot.contacts.get(key);
      if (known) {
        state = { contact: { ...known }, isNew: false, filled: false };
      } else {
        const contact = { id: newId(), displayName: message.displayName, phone: null, sourceCode: null };
        state = { contact, isNew: true, filled: false };
        identities.push({
          id: newId(),
          contactId: contact.id,
          channel: message.channel,
          externalUserId: message.externalUserId,
          handle: message.handle ?? null,
        });
      }
      contacts.set(key, state);
    }
    // The first banner (and phone) that reaches a contact is the one that counts.
    if (bannerCode && state.contact.sourceCode === null) {
      state.contact.sourceCode = bannerCode;
      state.filled = true;
    }
    if (message.phone && state.contact.phone === null) {
      state.contact.phone = message.phone;
      state.filled = true;
    }
    return state.contact;
  };

  const openTicket = (message: ReceivedMessage, contact: BatchContact, bannerCode: string | undefined) => {
    const service = classifyService(message.text, services);
    const clockStart = policy.sla.clockStarts === 'next_opening' ? (calendar.nextOpening(now) ?? now) : now;
    const record: TicketRecord = {
      id: newId(),
      number: formatTicketNumber(policy.ticketPrefix, input.year, sequence),
      status: 'open',
      channel: message.channel,
      threadId: message.externalThreadId,
      contactId: contact.id,
      contactName: contact.displayName,
      service,
      serviceDetected: service,
      priority: 'normal',
      assigneeId: null,
      sourceCode: bannerCode ?? contact.sourceCode,
      ...firstResponseDeadlines(clockStart, policy),
      firstRespondedAt: null,
      slaBreachedAt: null,
      afterHoursNoticeFor: null,
      createdAt: now,
      lastMessageAt: now,
      lastInboundAt: null,
    };
    sequence += 1;
    events.push({ type: 'ticket.created', ticket: { ...record } });
    return record;
  };

  const ticketOf = (message: ReceivedMessage, contact: BatchContact, bannerCode: string | undefined) => {
    const key = ticketKey(contact.id, message.channel, message.externalThreadId);
    let state = tickets.get(key);
    if (state) return { state, created: false };
    const existing = activeByKey.get(key);
    const record = existing ? { ...existing } : openTicket(message, contact, bannerCode);
    state = {
      record,
      isNew: !existing,
      touch: { id: record.id, lastMessageAt: now, lastInboundAt: now },
      lastUsedMs: Number.NEGATIVE_INFINITY,
    };
    tickets.set(key, state);
    return { state, created: !existing };
  };

  const results = input.messages.map((message): ReceiveResult => {
    const dedupeKey = messageKey(message.channel, message.externalMessageId);
    const duplicate = snapshot.stored.get(dedupeKey) ?? storedInBatch.get(dedupeKey);
    if (duplicate) return { outcome: 'duplicate', messageId: duplicate.id, ticketId: duplicate.ticketId };

    const bannerCode = bannerCodeOf(message);
    const contact = contactOf(message, bannerCode);
    const { state, created } = ticketOf(message, contact, bannerCode);
    const ticket = state.record;
    const receivedAt = new Date(Math.max(now.getTime(), state.lastUsedMs + 1));

    const inbound = plan({
      id: newId(),
      ticketId: ticket.id,
      channel: message.channel,
      direction: 'inbound',
      text: message.text,
      externalId: message.externalMessageId,
      createdAt: receivedAt,
      extra: extraOf(message),
      attachments: message.attachments.map((attachment) => ({ ...attachment, id: newId() })),
    });
    storedInBatch.set(dedupeKey, { id: inbound.id, ticketId: ticket.id });

    ticket.lastMessageAt = receivedAt;
    ticket.lastInboundAt = latestInbound(ticket.lastInboundAt, message.sentAt, receivedAt);
    state.touch.lastMessageAt = ticket.lastMessageAt;
    state.touch.lastInboundAt = ticket.lastInboundAt;
    // A citizen writing into a ticket that waits for them puts it back in the officers' queue.
    if (ticket.status === 'pending') {
      ticket.status = 'open';
      state.touch.status = 'open';
      events.push({ type: 'ticket.updated', ticketId: ticket.id, changes: { status: 'open' } });
    }

    const decision = decideAutoReplies({
      policy,
      services,
      calendar,
      ticket,
      ticketCreated: created,
      text: message.text,
      now: receivedAt,
    });
    // ADUAN needs the complaint store; routeInboundMessages keeps such messages out of batches.
    if (decision.complaint) throw new Error('a complaint message reached the batched path');
    if (decision.afterHoursNoticeFor) {
      ticket.afterHoursNoticeFor = decision.afterHoursNoticeFor;
      state.touch.afterHoursNoticeFor = decision.afterHoursNoticeFor;
    }
    if (decision.service) {
      ticket.service = decision.service;
      state.touch.service = decision.service;
      events.push({ type: 'ticket.updated', ticketId: ticket.id, changes: { service: decision.service } });
    }
    const newReplies = autoReplyMessages(
      { ticketId: ticket.id, channel: message.channel },
      decision.texts,
      receivedAt,
    );
    const replies = newReplies.map((newReply) => {
      const reply = plan({ ...newReply, id: newId(), attachments: [] });
      deliveries.push({ messageId: reply.id, channel: message.channel });
      return reply;
    });
    state.lastUsedMs = receivedAt.getTime() + decision.texts.length;
    return {
      outcome: 'stored',
      ticket: { ...ticket },
      message: toMessage(inbound),
      ticketCreated: created,
      replies: replies.map(toMessage),
    };
  });

  function plan(message: PlannedMessage): PlannedMessage {
    messages.push(message);
    events.push({ type: 'message.created', message });
    return message;
  }

  const contactStates = [...contacts.values()];
  const ticketStates = [...tickets.values()];
  return {
    results,
    writes: {
      contacts: contactStates.filter((s) => s.isNew).map((s) => ({ ...s.contact, createdAt: now })),
      identities,
      contactFills: contactStates
        .filter((s) => !s.isNew && s.filled)
        .map((s) => ({ id: s.contact.id, phone: s.contact.phone, sourceCode: s.contact.sourceCode })),
      tickets: ticketStates.filter((s) => s.isNew).map((s) => s.record),
      touches: ticketStates.filter((s) => !s.isNew).map((s) => s.touch),
      messages,
      events,
      deliveries,
    },
  };
}

function toMessage(planned: PlannedMessage): Message {
  return {
    id: planned.id,
    ticketId: planned.ticketId,
    direction: planned.direction,
    text: planned.text,
    attachments: planned.attachments,
    authorId: planned.authorId ?? null,
    automated: planned.automated ?? false,
    createdAt: planned.createdAt,
    deliveryStatus: planned.deliveryStatus ?? null,
    error: null,
    externalId: planned.externalId ?? null,
    sentAt: null,
    extra: planned.extra ?? null,
  };
}
