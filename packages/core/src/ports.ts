import type { ChannelName } from './channel/types.ts';
import type { Complaint, ComplaintReason, ComplaintStatus } from './complaints/complaint-stages.ts';
import type { OfficePolicy } from './policy/office-policy.ts';
import type {
  Contact,
  DeliveryStatus,
  Message,
  MessageDirection,
  MessageExtra,
  StoredAttachment,
  TicketPriority,
  TicketRecord,
  TicketStatus,
} from './tickets/types.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type NewAttachment = Omit<StoredAttachment, 'id'>;

/** Files (citizens' documents, officers' attachments) kept by content, outside the database. */
export interface FileStore {
  /** Keeps the bytes and returns the key to get them back. */
  put(bytes: Uint8Array): Promise<string>;
  /** Null when the key is unknown or malformed. */
  get(key: string): Promise<Uint8Array | null>;
  /**
   * Deletes the bytes; an unknown or malformed key is not an error. Several attachments may share a
   * key (same content): delete only once none references it (see `deleteOrphanedFiles`).
   */
  delete(key: string): Promise<void>;
  /**
   * The stored keys whose bytes were last written before `modifiedBefore`, streamed (never all in
   * memory at once), in no particular order. Finds files that no attachment references any more (see
   * `deleteUnreferencedFiles`).
   */
  listKeys(options: { modifiedBefore: Date }): AsyncIterable<string>;
  /**
   * Deletes what writes left half done (the process died between writing a file and giving it its
   * key) when last written before `modifiedBefore`; returns how many. A citizen's KTP photo must not
   * outlive its message in a temporary file.
   */
  deleteAbandonedWrites(options: { modifiedBefore: Date }): Promise<number>;
}

export type NewMessage = {
  ticketId: string;
  channel: ChannelName;
  direction: MessageDirection;
  text: string;
  externalId?: string | null;
  authorId?: string | null;
  automated?: boolean;
  deliveryStatus?: DeliveryStatus | null;
  createdAt: Date;
  extra?: MessageExtra | null;
  attachments?: NewAttachment[];
};

export type NewTicket = {
  number: string;
  channel: ChannelName;
  threadId: string;
  contactId: string;
  service: string;
  sourceCode: string | null;
  firstResponseDueAt: Date;
  slaWarnAt: Date;
  createdAt: Date;
  /** Set when round-robin assignment gave the new ticket to an officer. */
  assigneeId?: string | null;
};

export type ContactIdentityInput = {
  channel: ChannelName;
  externalUserId: string;
  /** Other ids of the same sender on this channel; see `InboundMessage.aliasUserIds`. */
  aliases?: string[];
  displayName: string;
  handle?: string;
  phone?: string;
  sourceCode?: string;
};

/**
 * The unit of work of the inbox. The store runs `work` in one database transaction and retries it
 * when a concurrent writer wins a unique key (the same message delivered twice at once), so `work`
 * must be safe to run again.
 */
export interface InboxStore {
  transaction<T>(work: (tx: InboxTransaction) => Promise<T>): Promise<T>;
}

export interface InboxTransaction {
  findMessageByExternalId(
    channel: ChannelName,
    externalId: string,
  ): Promise<{ id: string; ticketId: string } | null>;
  /**
   * Finds the contact by its identity or any alias, or creates it. Identities it lacks are added, and
   * contacts that turn out to be one citizen are merged. Locks the contact until the transaction ends.
   */
  findOrCreateContact(identity: ContactIdentityInput): Promise<Contact>;
  /** Records that these ids are one citizen (WhatsApp's LID mapping), merging contacts if needed. */
  linkIdentities(channel: ChannelName, externalUserIds: string[]): Promise<void>;
  findActiveTicket(contactId: string, channel: ChannelName, threadId: string): Promise<TicketRecord | null>;
  getTicket(ticketId: string, options?: { lock?: boolean }): Promise<TicketRecord | null>;
  /** The next value of the per-year ticket counter (1, 2, 3…). */
  nextTicketSequence(year: number): Promise<number>;
  createTicket(ticket: NewTicket): Promise<TicketRecord>;
  appendMessage(message: NewMessage): Promise<Message>;
  touchTicket(
    ticketId: string,
    change: { lastMessageAt: Date; lastInboundAt?: Date; status?: TicketStatus },
  ): Promise<void>;
  /**
   * Queues a message for delivery, in this transaction: rolled back with it, committed with it. Due
   * deliveries go out in the order their messages were written, so an acknowledgement and the replies
   * after it reach the citizen in that order.
   */
  queueDelivery(job: DeliveryJobInput): Promise<void>;
  /** `queueDelivery` for many messages at once (one statement): what batched writers use. */
  queueDeliveries(jobs: DeliveryJobInput[]): Promise<void>;

  /**
   * Marks up to `limit` unanswered tickets whose warning (or due) time has passed as warned (or
   * breached) and returns them. A conditional UPDATE makes each transition happen once, whatever
   * the number of gateways sweeping; rows another transaction holds are skipped, not waited for.
   */
  claimDueSlaWarnings(now: Date, limit: number): Promise<TicketRecord[]>;
  claimDueSlaBreaches(now: Date, limit: number): Promise<TicketRecord[]>;
  /** Sets the service the citizen chose (menu) or that a later message made clear; keeps what was detected. */
  setTicketService(ticketId: string, service: string): Promise<void>;
  findTicketByNumber(number: string): Promise<TicketRecord | null>;
  /** Remembers that the citizen was told about the closed period that ends at `nextOpening`. */
  markAfterHoursNotice(ticketId: string, nextOpening: Date): Promise<void>;
  /**
   * Round-robin: locks the service's turn until the transaction ends (two new tickets of one service
   * cannot take the same turn), picks the next eligible officer after the last one (see
   * `takesAutoAssignedTicket` and `nextInTurn`), records them as the last, and returns their id.
   * Null, with the turn unchanged, when no officer is eligible.
   */
  takeAssignmentTurn(service: string): Promise<string | null>;

  findActiveComplaint(ticketId: string): Promise<Complaint | null>;
  getComplaint(complaintId: string, options?: { lock?: boolean }): Promise<Complaint | null>;
  nextComplaintSequence(year: number): Promise<number>;
  createComplaint(complaint: NewComplaint): Promise<Complaint>;
  updateComplaint(
    complaintId: string,
    change: {
      status: ComplaintStatus;
      stageDueAt: Date | null;
      resolution?: string | null;
      actorId: string | null;
      note?: string | null;
      at: Date;
    },
  ): Promise<Complaint>;
  /** Marks up to `limit` complaints whose stage is overdue as escalated, once each, and returns them. */
  claimOverdueComplaints(now: Date, limit: number): Promise<Complaint[]>;
  recordAudit(entry: NewAuditEntry): Promise<void>;

  // Batched writes, for the SLA sweep and whoever acts on many tickets in one transaction: each
  // writes all its rows (and their events) in a few multi-row statements, in the order given.
  /** `recordAudit` for many entries at once. */
  recordAudits(entries: NewAuditEntry[]): Promise<void>;
  /** Text-only messages Loket writes itself (system notes, automated notices), with their events. */
  appendTextMessages(messages: NewTextMessage[]): Promise<Message[]>;
  /** The complaints in progress of these tickets (see `findActiveComplaint`). */
  findActiveComplaints(ticketIds: string[]): Promise<Complaint[]>;
  /**
   * Takes the next `count` values of the year's complaint counter at once and returns the first; the
   * counter's row stays locked until the transaction ends, so numbers stay unique and gap-free.
   */
  reserveComplaintSequences(year: number, count: number): Promise<number>;
  /** `createComplaint` for many complaints at once, returned in the order given. */
  createComplaints(complaints: NewComplaint[]): Promise<Complaint[]>;
}

export type NewAuditEntry = {
  actorId: string | null;
  action: string;
  target: string;
  at: Date;
  meta?: Record<string, unknown>;
};

export type NewTextMessage = Pick<
  NewMessage,
  'ticketId' | 'channel' | 'direction' | 'text' | 'authorId' | 'automated' | 'deliveryStatus' | 'createdAt'
>;

/** A message to deliver. It is due at once and goes out after the earlier messages of its chat. */
export type DeliveryJobInput = {
  messageId: string;
  channel: ChannelName;
};

export type NewComplaint = {
  number: string;
  ticketId: string;
  reason: ComplaintReason;
  stageDueAt: Date | null;
  createdAt: Date;
  actorId: string | null;
};

export type PolicySource = { current(): Promise<OfficePolicy> };

/**
 * Periodic work on the job queue: `work` runs about every `intervalMs` and once at start, on one
 * process at a time however many run it, and is retried elsewhere when the process running it dies.
 * `name` is the job's queue (the migrations create `sla-sweep` and `retention-sweep`).
 */
export interface PeriodicJobs {
  every(name: string, intervalMs: number, work: () => Promise<unknown>): Promise<{ stop(): Promise<void> }>;
}

export type TicketChange = {
  status?: TicketStatus;
  assigneeId?: string | null;
  service?: string;
  priority?: TicketPriority;
};
