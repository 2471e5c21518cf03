// An in-memory InboxStore for the core's unit tests. Transactions run one at a time and roll back
// on error by restoring a snapshot, which is what the database gives the real store.
import { type AssignableUser, nextInTurn, takesAutoAssignedTicket } from '../src/assignment/round-robin.ts';
import type { Complaint } from '../src/complaints/complaint-stages.ts';
import type { InboxStore, InboxTransaction, NewMessage, NewTicket } from '../src/ports.ts';
import type { Contact, Message, TicketRecord } from '../src/tickets/types.ts';

type State = {
  contacts: Contact[];
  tickets: TicketRecord[];
  messages: Message[];
  jobs: { messageId: string; channel: string }[];
  counters: Map<number, number>;
  complaints: Complaint[];
  audit: { action: string; target: string }[];
  warned: Set<string>;
  /** Staff for round-robin assignment, and who got each service's last auto-assigned ticket. */
  staff: AssignableUser[];
  assignmentTurns: Map<string, string | null>;
};

export class MemoryInboxStore implements InboxStore {
  state: State = {
    contacts: [],
    tickets: [],
    messages: [],
    jobs: [],
    counters: new Map(),
    complaints: [],
    audit: [],
    warned: new Set(),
    staff: [],
    assignmentTurns: new Map(),
  };
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
    const tx: InboxTransaction = {
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
          assigneeId: ticket.assigneeId ?? null,
          firstRespondedAt: null,
          slaBreachedAt: null,
          afterHoursNoticeFor: null,
          lastMessageAt: ticket.createdAt,
          lastInboundAt: null,
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
        if (change.lastInboundAt) ticket.lastInboundAt = change.lastInboundAt;
        if (change.status) ticket.status = change.status;
      },
      queueDelivery: async (job) => {
        s().jobs.push(job);
      },
      queueDeliveries: async (jobs) => {
        s().jobs.push(...jobs);
      },
      claimDueSlaWarnings: async (now, limit) => {
        const due = s()
          .tickets.filter(
            (t) =>
              !t.firstRespondedAt &&
              !s().warned.has(t.id) &&
              t.slaWarnAt <= now &&
              t.firstResponseDueAt > now,
          )
          .slice(0, limit);
        for (const t of due) s().warned.add(t.id);
        return due;
      },
      claimDueSlaBreaches: async (now, limit) => {
        const due = s()
          .tickets.filter((t) => !t.firstRespondedAt && !t.slaBreachedAt && t.firstResponseDueAt <= now)
          .slice(0, limit);
        for (const t of due) {
          t.slaBreachedAt = now;
          s().warned.add(t.id);
        }
        return due;
      },
      setTicketService: async (ticketId, service) => {
        const ticket = s().tickets.find((t) => t.id === ticketId);
        if (ticket) ticket.service = service;
      },
      findTicketByNumber: async (number) => s().tickets.find((t) => t.number === number) ?? null,
      markAfterHoursNotice: async (ticketId, nextOpening) => {
        const ticket = s().tickets.find((t) => t.id === ticketId);
        if (ticket) ticket.afterHoursNoticeFor = nextOpening;
      },
      takeAssignmentTurn: async (service) => {
        const eligible = s().staff.filter((user) => takesAutoAssignedTicket(user, service));
        const next = nextInTurn(
          eligible.map((user) => user.id),
          s().assignmentTurns.get(service) ?? null,
        );
        if (next) s().assignmentTurns.set(service, next);
        return next;
      },
      findActiveComplaint: async (ticketId) =>
        s().complaints.find(
          (c) => c.ticketId === ticketId && c.status !== 'resolved' && c.status !== 'rejected',
        ) ?? null,
      getComplaint: async (id) => s().complaints.find((c) => c.id === id) ?? null,
      nextComplaintSequence: async (year) => {
        const key = -year;
        const next = (s().counters.get(key) ?? 0) + 1;
        s().counters.set(key, next);
        return next;
      },
      createComplaint: async (complaint) => {
        const created: Complaint = {
          id: this.id('complaint'),
          number: complaint.number,
          ticketId: complaint.ticketId,
          reason: complaint.reason,
          status: 'received',
          stageDueAt: complaint.stageDueAt,
          escalatedAt: null,
          resolution: null,
          createdAt: complaint.createdAt,
          updatedAt: complaint.createdAt,
        };
        s().complaints.push(created);
        return created;
      },
      updateComplaint: async (id, change) => {
        const complaint = s().complaints.find((c) => c.id === id);
        if (!complaint) throw new Error('no complaint');
        Object.assign(complaint, {
          status: change.status,
          stageDueAt: change.stageDueAt,
          escalatedAt: null,
          updatedAt: change.at,
          ...(change.resolution !== undefined ? { resolution: change.resolution } : {}),
        });
        return complaint;
      },
      claimOverdueComplaints: async (now, limit) => {
        const due = s()
          .complaints.filter((c) => c.stageDueAt && c.stageDueAt <= now && !c.escalatedAt)
          .slice(0, limit);
        for (const c of due) c.escalatedAt = now;
        return due;
      },
      recordAudit: async (entry) => {
        s().audit.push({ action: entry.action, target: entry.target });
      },
      recordAudits: async (entries) => {
        for (const entry of entries) await tx.recordAudit(entry);
      },
      appendTextMessages: async (messages) => {
        const stored: Message[] = [];
        for (const message of messages) stored.push(await tx.appendMessage(message));
        return stored;
      },
      findActiveComplaints: async (ticketIds) =>
        s().complaints.filter(
          (c) => ticketIds.includes(c.ticketId) && c.status !== 'resolved' && c.status !== 'rejected',
        ),
      reserveComplaintSequences: async (year, count) => {
        const key = -year;
        const first = (s().counters.get(key) ?? 0) + 1;
        s().counters.set(key, first + count - 1);
        return first;
      },
      createComplaints: async (complaints) => {
        const created: Complaint[] = [];
        for (const complaint of complaints) created.push(await tx.createComplaint(complaint));
        return created;
      },
    };
    return tx;
  }
}
