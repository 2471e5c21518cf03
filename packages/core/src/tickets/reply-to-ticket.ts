import { type ReplyWindows, replyWindowEndsAt } from '../channel/reply-window.ts';
import { DomainError } from '../errors.ts';
import type { Clock, InboxStore, NewAttachment } from '../ports.ts';
import type { Message } from './types.ts';

/**
 * Stores an officer's reply (text, and files already in the file store) and its delivery job in one
 * transaction. Delivery happens in the gateway.
 */
export async function replyToTicket(options: {
  store: InboxStore;
  clock: Clock;
  ticketId: string;
  authorId: string;
  text: string;
  /** Files already kept in the file store, sent after the text. */
  attachments?: NewAttachment[];
  /** The channels' reply windows (Meta's APIs); a reply after the window closed is refused. */
  replyWindows?: ReplyWindows;
}): Promise<Message> {
  const { store, clock, ticketId, authorId, text } = options;
  return store.transaction(async (tx) => {
    const ticket = await tx.getTicket(ticketId, { lock: true });
    if (!ticket) throw new DomainError('TICKET_NOT_FOUND', `ticket ${ticketId} does not exist`);
    if (ticket.status === 'closed') {
      throw new DomainError(
        'TICKET_CLOSED',
        'the ticket is closed; the citizen can write again to open a new one',
      );
    }
    const now = clock.now();
    const windowEndsAt = replyWindowEndsAt(ticket.channel, ticket.lastInboundAt, options.replyWindows ?? {});
    if (windowEndsAt && now.getTime() >= windowEndsAt.getTime()) {
      throw new DomainError(
        'REPLY_WINDOW_CLOSED',
        `${ticket.channel} accepts replies only until ${windowEndsAt.toISOString()}, ` +
          'a set time after the citizen’s last message. The citizen has to write again before ' +
          'an officer can answer on this channel.',
      );
    }
    const message = await tx.appendMessage({
      ticketId,
      channel: ticket.channel,
      direction: 'outbound',
      text,
      authorId,
      attachments: options.attachments ?? [],
      deliveryStatus: 'queued',
      createdAt: now,
    });
    await tx.queueDelivery({ messageId: message.id, channel: ticket.channel });
    await tx.touchTicket(ticketId, { lastMessageAt: now });
    return message;
  });
}
