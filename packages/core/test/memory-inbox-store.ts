// An in-memory InboxStore for the core's unit tests. Transactions run one at a time and roll back
// on error by restoring a snapshot, which is what the database gives the real store.
import type { InboxStore, InboxTransaction, NewMessage, NewTicket } from '../src/ports.ts';
import type { Contact, Message, TicketRecord } from '../src/tickets/types.ts';

type State = {
  contacts: Contact[];
  tickets: TicketRecord[];
  messages: Message[];
  jobs: { messageId: string; channel: string; runAt: Date }[];
  counters: Map<number, number>;
};

export class MemoryInboxStore implements InboxStore {
  state: State = { contacts: [], tickets: [], messages: [], jobs: [], counters: new Map() };
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;

  transaction<T>(work: (tx: InboxTransaction) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const snapshot = structuredClone(this.state);
      try {
        return await work(this.tx());
      } catch (error) {
        this.state = snapshot;
        throw error;
      }
    });
    this.queue = run.catch(() => {});
    return run;
  }

  private id(prefix: string): string {
    return `${prefix}-${this.nextId++}`;
  }

  private tx(): InboxTransaction {
    const s = () => this.state;
    return {
      findMessageByExternalId: async (channel, externalId) => {
        const found = s().messages.find(
          (m) =>
            m.externalId === externalId && s().tickets.find((t) => t.id === m.ticketId)?.channel === channel,
        );
        return found ? { id: found.id, ticketId: found.ticketId } : null;
      },
      findOrCreateContact: async (identity) => {
        const existing = s().contacts.find((c) =>
          c.identities.some(
            (i) => i.channel === identity.channel && i.externalUserId === identity.externalUserId,
          ),
        );
        if (existing) {
          existing.sourceCode ??= identity.sourceCode ?? null;
          return existing;
        }
        const contact: Contact = {
          id: this.id('contact'),
          displayName: identity.displayName,
          phone: identity.phone ?? null,
          sourceCode: identity.sourceCode ?? null,
          identities: [
            {
              channel: identity.channel,
              externalUserId: identity.externalUserId,
              handle: identity.handle ?? null,
            },
          ],
        };
        s().contacts.push(contact);
        return contact;
      },
      linkIdentities: async () => {
        // The merge itself is the database's job; its integration tests cover it.
      },
      findActiveTicket: async (contactId, channel, threadId) =>
        s().tickets.find(
          (t) =>
            t.contactId === contactId &&
            t.channel === channel &&
            t.threadId === threadId &&
            (t.status === 'open' || t.status === 'pending'),
        ) ?? null,
      getTicket: async (ticketId) => s().tickets.find((t) => t.id === ticketId) ?? null,
      nextTicketSequence: async (year) => {
        const next = (s().counters.get(year) ?? 0) + 1;
        s().counters.set(year, next);
        return next;
      },
      createTicket: async (ticket: NewTicket) => {
        const contact = s().contacts.find((c) => c.id === ticket.contactId);
        const record: TicketRecord = {
          ...ticket,
          id: this.id('ticket'),
          status: 'open',
          contactName: contact?.displayName ?? '',
          serviceDetected: ticket.service,
          priority: 'normal',
          assigneeId: null,
          firstRespondedAt: null,
          lastMessageAt: ticket.createdAt,
        };
        s().tickets.push(record);
        return record;
      },
      appendMessage: async (message: NewMessage) => {
        const stored: Message = {
          id: this.id('message'),
          ticketId: message.ticketId,
          direction: message.direction,
          text: message.text,
          attachments: (message.attachments ?? []).map((a) => ({ ...a, id: this.id('attachment') })),
          authorId: message.authorId ?? null,
          automated: message.automated ?? false,
          createdAt: message.createdAt,
          deliveryStatus: message.deliveryStatus ?? null,
          error: null,
          externalId: message.externalId ?? null,
          sentAt: null,
          extra: message.extra ?? null,
        };
        s().messages.push(stored);
        return stored;
      },
      touchTicket: async (ticketId, change) => {
        const ticket = s().tickets.find((t) => t.id === ticketId);
        if (!ticket) return;
        ticket.lastMessageAt = change.lastMessageAt;
        if (change.status) ticket.status = change.status;
      },
      queueDelivery: async (job) => {
        s().jobs.push(job);
      },
    };
  }
}
