import type { AttachmentKind, ChannelName, InboundContactCard, InboundLocation } from '../channel/types.ts';
import type { SlaState } from '../sla/sla-state.ts';

export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export type MessageDirection = 'inbound' | 'outbound' | 'note' | 'system';
/**
 * `sent` once the platform accepted it; `delivered` and `read` when the platform reports them
 * (WhatsApp Cloud); `failed` when it could not be sent or the platform reported it undeliverable.
 */
export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type ContactIdentity = { channel: ChannelName; externalUserId: string; handle: string | null };

export type Contact = {
  id: string;
  displayName: string;
  phone: string | null;
  sourceCode: string | null;
  identities: ContactIdentity[];
};

/** A ticket as stored. `slaState` is derived from it and the clock (see `toTicketView`). */
export type TicketRecord = {
  id: string;
  number: string;
  status: TicketStatus;
  channel: ChannelName;
  threadId: string;
  contactId: string;
  contactName: string;
  service: string;
  serviceDetected: string;
  priority: TicketPriority;
  assigneeId: string | null;
  sourceCode: string | null;
  firstResponseDueAt: Date;
  slaWarnAt: Date;
  firstRespondedAt: Date | null;
  slaBreachedAt: Date | null;
  /** The end of the last closed period the citizen was told about (see the out-of-hours reply). */
  afterHoursNoticeFor: Date | null;
  createdAt: Date;
  lastMessageAt: Date;
  /** When the citizen last wrote (the platform's time); reply windows count from it. */
  lastInboundAt: Date | null;
};

export type Ticket = {
  id: string;
  number: string;
  status: TicketStatus;
  channel: ChannelName;
  service: string;
  priority: TicketPriority;
  contact: { id: string; displayName: string };
  assigneeId: string | null;
  slaState: SlaState;
  firstResponseDueAt: Date;
  firstRespondedAt: Date | null;
  createdAt: Date;
  lastMessageAt: Date;
  /** Channels that limit replies to a time after the citizen's last message (Meta's APIs); else null. */
  replyWindowEndsAt: Date | null;
};

export type StoredAttachment = {
  id: string;
  kind: AttachmentKind;
  mime: string;
  name: string | null;
  size: number;
  /** Null when the file was not kept (over the size limit, download failed): see `error`. */
  storageKey: string | null;
  error: string | null;
};

export type MessageExtra = {
  location?: InboundLocation;
  contacts?: InboundContactCard[];
  referralCode?: string;
};

export type Message = {
  id: string;
  ticketId: string;
  direction: MessageDirection;
  text: string;
  attachments: StoredAttachment[];
  authorId: string | null;
  automated: boolean;
  createdAt: Date;
  deliveryStatus: DeliveryStatus | null;
  error: string | null;
  externalId: string | null;
  sentAt: Date | null;
  extra: MessageExtra | null;
};
