// The batched inbound path's port and the writes it plans. A batch of citizen messages is stored in
// one transaction with a fixed number of set-based statements, whatever its size (group commit).
import type { ChannelName } from '../channel/types.ts';
import type { DeliveryJobInput, NewAttachment, NewMessage } from '../ports.ts';
import type { TicketRecord, TicketStatus } from './types.ts';

/** A contact as the batch needs it, found through one of its identities. */
export type BatchContact = {
  id: string;
  displayName: string;
  phone: string | null;
  sourceCode: string | null;
};

export type IdentityKey = { channel: ChannelName; externalUserId: string };
export type ExternalMessageKey = { channel: ChannelName; externalId: string };

/**
 * One transaction of the batched path. The store runs it again on a unique-key conflict or a deadlock
 * (another gateway stored the same message or created the same citizen at the same time).
 */
export interface InboundBatchTransaction {
  /** The already stored messages among `keys`, keyed by `messageKey`. One query. */
  findMessagesByExternalIds(
    keys: ExternalMessageKey[],
  ): Promise<Map<string, { id: string; ticketId: string }>>;
  /**
   * The contacts of the known identities among `identities`, keyed by `identityKey`, locked until the
   * transaction ends (in id order, so two batches cannot deadlock). One query.
   */
  lockContactsByIdentity(identities: IdentityKey[]): Promise<Map<string, BatchContact>>;
  /** The open and pending tickets of these contacts, newest first. One query. */
  findActiveTickets(contactIds: string[]): Promise<TicketRecord[]>;
  /** Takes `count` numbers of the year's ticket counter at once; returns the first. One statement. */
  reserveTicketSequences(year: number, count: number): Promise<number>;
  /** Writes everything the batch planned, multi-row. */
  writeInboundBatch(writes: InboundBatchWrites): Promise<void>;
}

export interface InboundBatchStore {
  inboundBatch<T>(work: (tx: InboundBatchTransaction) => Promise<T>): Promise<T>;
}

/** Whether a store (typed as the plain InboxStore) also stores batches; fakes in tests do not. */
export function supportsInboundBatches(store: object): store is InboundBatchStore {
  return typeof (store as Partial<InboundBatchStore>).inboundBatch === 'function';
}

/** An event the batch records, in the order the per-message path would record it. */
export type BatchEvent =
  | { type: 'ticket.created'; ticket: TicketRecord }
  | { type: 'message.created'; message: PlannedMessage }
  | { type: 'ticket.updated'; ticketId: string; changes: { status: TicketStatus } | { service: string } };

export type PlannedAttachment = NewAttachment & { id: string };
export type PlannedMessage = Omit<NewMessage, 'attachments'> & {
  id: string;
  attachments: PlannedAttachment[];
};

/** Columns of an existing ticket that the batch changed; an absent one is left as it is. */
export type TicketTouch = {
  id: string;
  lastMessageAt: Date;
  lastInboundAt: Date;
  status?: TicketStatus;
  service?: string;
  afterHoursNoticeFor?: Date;
};

export type InboundBatchWrites = {
  contacts: (BatchContact & { createdAt: Date })[];
  identities: {
    id: string;
    contactId: string;
    channel: ChannelName;
    externalUserId: string;
    handle: string | null;
  }[];
  /** Existing contacts whose empty phone / source code a message filled (the first one that counts). */
  contactFills: { id: string; phone: string | null; sourceCode: string | null }[];
  /** New tickets in their state at the end of the batch. */
  tickets: TicketRecord[];
  touches: TicketTouch[];
  messages: PlannedMessage[];
  events: BatchEvent[];
  deliveries: DeliveryJobInput[];
};

/** The key `findMessagesByExternalIds` answers with. */
export const messageKey = (channel: string, externalId: string) => `${channel}\n${externalId}`;
/** The key `lockContactsByIdentity` answers with. */
export const identityKey = (channel: string, externalUserId: string) => `${channel}\n${externalUserId}`;
