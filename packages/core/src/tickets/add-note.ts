import { DomainError } from '../errors.ts';
import type { Clock, InboxStore } from '../ports.ts';
import type { Message } from './types.ts';

/** An internal note between staff. It has no delivery job, so it can never reach the citizen. */
export async function addNote(options: {
  store: InboxStore;
  clock: Clock;
  ticketId: string;
  authorId: string;
  text: string;
}): Promise<Message> {
  const { store, clock, ticketId, authorId, text } = options;
  return store.transaction(async (tx) => {
    const ticket = await tx.getTicket(ticketId);
    if (!ticket) throw new DomainError('TICKET_NOT_FOUND', `ticket ${ticketId} does not exist`);
    return tx.appendMessage({
      ticketId,
      channel: ticket.channel,
      direction: 'note',
      text,
      authorId,
      createdAt: clock.now(),
    });
  });
}
