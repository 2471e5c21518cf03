import { auditAutoAssignment, autoAssignee } from '../assignment/auto-assign.ts';
import { bannerCodeOf } from '../banners/banner-codes.ts';
import { BusinessCalendar } from '../calendar/business-calendar.ts';
import type { InboundMessage } from '../channel/types.ts';
import { classifyService } from '../classification/classify-service.ts';
import type { OfficePolicy } from '../policy/office-policy.ts';
import type { Clock, InboxStore, NewAttachment } from '../ports.ts';
import { effectiveServices } from '../services/effective-services.ts';
import { firstResponseDeadlines } from '../sla/sla-state.ts';
import { autoReplyMessages, citizenAutoReplies } from './citizen-auto-replies.ts';
import { formatTicketNumber, yearIn } from './ticket-view.ts';
import type { Message, TicketRecord } from './types.ts';

/** An inbound message after the gateway has fetched and kept its attachments. */
export type ReceivedMessage = Omit<InboundMessage, 'attachments'> & { attachments: NewAttachment[] };

export type ReceiveResult =
  | { outcome: 'stored'; ticket: TicketRecord; message: Message; ticketCreated: boolean; replies: Message[] }
  | { outcome: 'duplicate'; messageId: string; ticketId: string };

/**
 * Stores one citizen message, exactly once per (channel, external message id): finds or creates the
 * contact and the open ticket on that thread, appends the message, classifies a new ticket's service,
 * starts its first-response clock (at the next opening when it arrives outside service hours, by
 * default), and queues Loket's own answers (acknowledgement or out-of-hours notice, menu,
 * requirements, the in-person-only answer, ADUAN), all in one transaction.
 */
export async function receiveMessage(options: {
  store: InboxStore;
  clock: Clock;
  policy: OfficePolicy;
  message: ReceivedMessage;
}): Promise<ReceiveResult> {
  const { store, clock, policy } = options;
  const message = withoutNul(options.message);
  return store.transaction(async (tx): Promise<ReceiveResult> => {
    const existing = await tx.findMessageByExternalId(message.channel, message.externalMessageId);
    if (existing) return { outcome: 'duplicate', messageId: existing.id, ticketId: existing.ticketId };

    const receivedAt = clock.now();
    const services = effectiveServices(policy);
    const calendar = new BusinessCalendar(policy);
    // The kelurahan banner that brought the citizen, if any: a known referral or a code in the text.
    const bannerCode = bannerCodeOf(message);
    const contact = await tx.findOrCreateContact({
      channel: message.channel,
      externalUserId: message.externalUserId,
      aliases: message.aliasUserIds,
      displayName: message.displayName,
      handle: message.handle,
      phone: message.phone,
      sourceCode: bannerCode,
    });

    let ticket = await tx.findActiveTicket(contact.id, message.channel, message.externalThreadId);
    const ticketCreated = ticket === null;
    if (!ticket) {
      const year = yearIn(policy.timezone, receivedAt);
      const sequence = await tx.nextTicketSequence(year);
      const service = classifyService(message.text, services);
      const clockStart =
        policy.sla.clockStarts === 'next_opening'
          ? (calendar.nextOpening(receivedAt) ?? receivedAt)
          : receivedAt;
      ticket = await tx.createTicket({
        number: formatTicketNumber(policy.ticketPrefix, year, sequence),
        channel: message.channel,
        threadId: message.externalThreadId,
        contactId: contact.id,
        service,
        sourceCode: bannerCode ?? contact.sourceCode,
        createdAt: receivedAt,
        ...firstResponseDeadlines(clockStart, policy),
        assigneeId: await autoAssignee(tx, policy, service),
      });
      await auditAutoAssignment(tx, ticket, receivedAt);
    }

    const stored = await tx.appendMessage({
      ticketId: ticket.id,
      channel: message.channel,
      direction: 'inbound',
      text: message.text,
      externalId: message.externalMessageId,
      createdAt: receivedAt,
      attachments: message.attachments,
      extra: extraOf(message),
    });
    // A citizen writing into a ticket that waits for them puts it back in the officers' queue.
    await tx.touchTicket(ticket.id, {
      lastMessageAt: receivedAt,
      lastInboundAt: latestInbound(ticket.lastInboundAt, message.sentAt, receivedAt),
      ...(ticket.status === 'pending' ? { status: 'open' as const } : {}),
    });

    const texts = await citizenAutoReplies({
      tx,
      policy,
      services,
      calendar,
      ticket,
      ticketCreated,
      text: message.text,
      now: receivedAt,
    });
    const replies: Message[] = [];
    for (const newReply of autoReplyMessages(
      { ticketId: ticket.id, channel: message.channel },
      texts,
      receivedAt,
    )) {
      const reply = await tx.appendMessage(newReply);
      await tx.queueDelivery({ messageId: reply.id, channel: message.channel });
      replies.push(reply);
    }
    const current = (await tx.getTicket(ticket.id)) ?? ticket;
    return { outcome: 'stored', ticket: current, message: stored, ticketCreated, replies };
  });
}

/**
 * The platform's time of the citizen's latest message, never later than we received it: a webhook
 * redelivered hours later must not reopen a reply window, and one delivered out of order must not
 * move it back.
 */
export function latestInbound(previous: Date | null, sentAt: Date, receivedAt: Date): Date {
  const sent = Number.isNaN(sentAt.getTime()) || sentAt > receivedAt ? receivedAt : sentAt;
  return previous && previous > sent ? previous : sent;
}

export function extraOf(message: ReceivedMessage): Message['extra'] {
  const extra: NonNullable<Message['extra']> = {};
  if (message.location) extra.location = message.location;
  if (message.contacts?.length) extra.contacts = message.contacts;
  if (message.referralCode) extra.referralCode = message.referralCode;
  return Object.keys(extra).length ? extra : null;
}

/**
 * U+0000 anywhere in a platform's strings is dropped: PostgreSQL text cannot hold it, so the message
 * would fail to store on every redelivery, and the platform would retry it forever.
 */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replaceAll('\u0000', '') as T;
  if (Array.isArray(value)) return value.map(withoutNul) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutNul(inner)])) as T;
  }
  return value;
}
