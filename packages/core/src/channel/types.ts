export const CHANNELS = ['telegram', 'whatsapp', 'instagram', 'whatsapp-cloud', 'instagram-graph'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export function isChannelName(value: string): value is ChannelName {
  return (CHANNELS as readonly string[]).includes(value);
}

export type AttachmentKind = 'image' | 'document' | 'audio' | 'video' | 'sticker';

/** An attachment as the platform announced it. The bytes are fetched by the gateway, under a size limit. */
export type InboundAttachment = {
  kind: AttachmentKind;
  mime: string;
  name?: string;
  /** Size in bytes when the platform tells it before download. */
  size?: number;
  /** Fetches the bytes. Rejects when the platform refuses or the file is over `maxBytes`. */
  fetch(maxBytes: number): Promise<Uint8Array>;
};

export type InboundLocation = { latitude: number; longitude: number; title?: string; address?: string };
export type InboundContactCard = { name: string; phone?: string; externalUserId?: string };

export type InboundMessage = {
  channel: ChannelName;
  /** The platform's message id: with `channel`, the dedupe key. Must be stable across redelivery. */
  externalMessageId: string;
  externalUserId: string;
  /**
   * Other ids the platform knows the same sender by (WhatsApp: the phone JID beside the LID). A
   * contact found by any of them is the same citizen, so a change of id never splits a conversation.
   */
  aliasUserIds?: string[];
  /** The conversation replies go to (Telegram chat id, WhatsApp JID, Instagram thread id). */
  externalThreadId: string;
  displayName: string;
  handle?: string;
  phone?: string;
  sentAt: Date;
  text: string;
  attachments: InboundAttachment[];
  location?: InboundLocation;
  contacts?: InboundContactCard[];
  /** Start parameter or referral code (the kelurahan banner that brought the citizen). */
  referralCode?: string;
};

/**
 * A citizen opened the chat through a link that carries a referral code (Instagram's ig.me `ref`) but
 * has not written yet. Nothing to answer: the code is kept on the contact, so it still counts when
 * their first message comes without it.
 */
export type InboundReferral = {
  channel: ChannelName;
  externalUserId: string;
  displayName: string;
  handle?: string;
  referralCode: string;
  sentAt: Date;
};

export type ThreadRef = { channel: ChannelName; externalThreadId: string };

export type OutboundDocument = { name: string; mime: string; data: Uint8Array };
export type OutboundContent = {
  text: string;
  documents?: OutboundDocument[];
  /**
   * True for an officer's reply, false for Loket's automated answers. Instagram's HUMAN_AGENT tag
   * (replies up to 7 days after the citizen's last message) may be used only for the former.
   */
  sentByStaff?: boolean;
};

/** What a send produced: the platform's id of the (last) message it created. */
export type SendResult = {
  externalId: string;
  /**
   * Part of the content the platform cannot carry and was replaced (a document on an Instagram DM
   * becomes a text saying so). The message counts as sent; the officer sees this on it.
   */
  warning?: string;
};

export const PLATFORM_DELIVERY_STATES = ['sent', 'delivered', 'read', 'failed'] as const;
export type PlatformDeliveryState = (typeof PLATFORM_DELIVERY_STATES)[number];

/** A platform's report on one of our outbound messages (WhatsApp Cloud `statuses[]`). */
export type DeliveryReceipt = {
  /** The platform's id of our message, as `send` returned it. */
  externalMessageId: string;
  status: PlatformDeliveryState;
  at: Date;
  /** Why the platform failed it, for `failed`. */
  error?: string;
};

export type ChannelState =
  | 'disabled'
  | 'starting'
  | 'connected'
  | 'needs_pairing'
  | 'needs_login'
  | 'challenge_required'
  | 'connecting'
  | 'disconnected'
  | 'logged_out'
  | 'replaced'
  | 'banned'
  | 'error';

export type ChannelStatus = { state: ChannelState; detail?: string };

export type ChannelStartContext = {
  /** Resolves only after the message is stored; the adapter acknowledges the platform after that. */
  onMessage(message: InboundMessage): Promise<void>;
  onStatus(status: ChannelStatus): void;
  /** A rejection the adapter chose not to ingest (unsupported update type, bad payload). Counted and logged. */
  onRejected?(reason: string, detail?: Record<string, unknown>): void;
  /** A delivery report for one of our messages. Resolves after it is stored (acknowledge after that). */
  onDeliveryReceipt?(receipt: DeliveryReceipt): Promise<void>;
  /** A referral that came without a message. Resolves after it is stored (acknowledge after that). */
  onReferral?(referral: InboundReferral): Promise<void>;
  signal: AbortSignal;
};

export interface ChannelAdapter {
  readonly channel: ChannelName;
  start(ctx: ChannelStartContext): Promise<void>;
  stop(): Promise<void>;
  send(to: ThreadRef, content: OutboundContent): Promise<SendResult>;
}

/** A failure talking to a platform. `retryable` false means retrying cannot help (blocked, bad chat). */
export class ChannelError extends Error {
  readonly channel: ChannelName;
  readonly retryable: boolean;
  /** Seconds the platform asked us to wait (Telegram `retry_after`, HTTP Retry-After). */
  readonly retryAfter?: number;
  readonly code?: string;

  constructor(
    channel: ChannelName,
    message: string,
    options: { retryable: boolean; retryAfter?: number; code?: string; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.channel = channel;
    this.retryable = options.retryable;
    this.retryAfter = options.retryAfter;
    this.code = options.code;
  }
}
