import { DomainError } from '../errors.ts';
import type { Clock, InboxStore } from '../ports.ts';
import type { Message } from './types.ts';

/** Stores an officer's reply and its delivery job in one transaction. Delivery happens in the gateway. */
export async function replyToTicket(options: {
  store: InboxStore;
  clock: Clock;
  ticketId: string;
  authorId: string;
  text: string;
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
    const message = await tx.appendMessage({
      ticketId,
      channel: ticket.channel,
      direction: 'outbound',
      text,
      authorId,
      deliveryStatus: 'queued',
      createdAt: now,
    });
    await tx.queueDelivery({ messageId: message.id, channel: ticket.channel, runAt: now });
    await tx.touchTicket(ticketId, { lastMessageAt: now });
    return message;
  });
}
