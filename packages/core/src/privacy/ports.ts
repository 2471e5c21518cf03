// The ports of citizens' data rights (UU PDP): serving kept files, finding, exporting and anonymising
// a contact, and the retention purge of old files.
import type { ChannelName } from '../channel/types.ts';
import type { Complaint, ComplaintStatus } from '../complaints/complaint-stages.ts';
import type { Message, StoredAttachment, TicketRecord } from '../tickets/types.ts';

/** An attachment with the message and ticket it belongs to. */
export type AttachmentRecord = StoredAttachment & { messageId: string; ticketId: string; createdAt: Date };

/** Attachments' rows; the bytes live in the `FileStore`, under `storageKey`. */
export interface AttachmentRecords {
  get(id: string): Promise<AttachmentRecord | null>;
  /**
   * Forgets the files of up to `limit` attachments created before `cutoff`: `storageKey` null and
   * `error` set. Files of replies still waiting to be delivered are left alone. Returns the keys the
   * purged rows held. A conditional UPDATE with SKIP LOCKED purges each row once, however many
   * gateways run it at the same time.
   */
  purgeCreatedBefore(
    cutoff: Date,
    limit: number,
    error: string,
  ): Promise<{ count: number; storageKeys: string[] }>;
  /** Of these keys, the ones no attachment references any more: their files may be deleted. */
  unreferencedKeys(keys: string[]): Promise<string[]>;
}

export type ContactIdentityRecord = {
  channel: ChannelName;
  externalUserId: string;
  handle: string | null;
  createdAt: Date;
};

export type ContactRecord = {
  id: string;
  displayName: string;
  phone: string | null;
  sourceCode: string | null;
  anonymizedAt: Date | null;
  createdAt: Date;
  identities: ContactIdentityRecord[];
  ticketCount: number;
};

export type ComplaintEventRecord = {
  id: string;
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  actorId: string | null;
  note: string | null;
  at: Date;
};

/** Everything kept about one citizen, for a data subject's access request. */
export type ContactExport = {
  contact: ContactRecord;
  tickets: (TicketRecord & {
    messages: Message[];
    complaints: (Complaint & { events: ComplaintEventRecord[] })[];
  })[];
};

/** What an anonymisation replaces personal data with (core's words, stored by the repository). */
export type ErasureTexts = {
  displayName: string;
  messageText: string;
  threadId: string;
  attachmentError: string;
  deliveryError: string;
};

export type AnonymisationResult = {
  contactId: string;
  /** The first anonymisation's time; a later call keeps it. */
  anonymizedAt: Date;
  alreadyAnonymized: boolean;
  ticketsKept: number;
  /** Open or pending tickets closed: nobody is left to answer. */
  ticketsClosed: number;
  messagesErased: number;
  attachmentsErased: number;
  complaintsCleared: number;
  /** Keys the erased attachments held; their files go once no other attachment references them. */
  storageKeys: string[];
};

export interface ContactRecords {
  /** By name, phone or handle (or all, without `q`), newest first, with an opaque cursor. */
  search(filter: {
    q?: string;
    limit: number;
    cursor?: string;
  }): Promise<{ items: ContactRecord[]; nextCursor: string | null }>;
  get(id: string): Promise<(ContactRecord & { tickets: TicketRecord[] }) | null>;
  export(id: string): Promise<ContactExport | null>;
  /**
   * Erases the contact's personal data in one transaction and keeps what statistics need (tickets,
   * their numbers, times, channels, services, SLA fields, complaint stages). Running it again erases
   * whatever came since and keeps the first `anonymizedAt`. Null when there is no such contact.
   */
  anonymise(id: string, options: { at: Date; erasure: ErasureTexts }): Promise<AnonymisationResult | null>;
}
