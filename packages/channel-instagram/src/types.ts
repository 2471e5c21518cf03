import type {
  ChannelAdapter,
  ChannelSessionStore,
  ChannelStatus,
  InboundMessage,
  RetryBackoff,
} from '@loket/core';

/** Matches pino's `(detail, message)` order, so the app's logger can be passed in as is. */
export type InstagramLogger = {
  info(detail: Record<string, unknown>, message: string): void;
  warn(detail: Record<string, unknown>, message: string): void;
  error(detail: Record<string, unknown>, message: string): void;
};

export type InstagramChannelConfig = {
  username: string;
  password: string;
  /** Where the logged-in session and the per-thread cursors live (namespace `instagram`). */
  session: ChannelSessionStore;
  /** The private API's root. Defaults to https://i.instagram.com/; tests point it at a fake. */
  apiRoot?: string;
  /** Time between inbox polls, ±20 % jitter so the polls do not look scripted. Defaults to 20 s. */
  pollIntervalMs?: number;
  /**
   * Accept message requests (first contact from accounts the office does not follow) after their
   * messages are taken in. Their messages are taken in either way. Defaults to true.
   */
  approveRequests?: boolean;
  /** Ceiling for photo, video and voice downloads, whatever the caller asks. Defaults to 25 MiB. */
  maxMediaBytes?: number;
  /** Waits between retries after network failures, rate limits and failed stores. */
  backoff?: Partial<RetryBackoff>;
  /** How often to try again while Instagram holds the login at a checkpoint. Defaults to 5 minutes. */
  challengeRetryMs?: number;
  logger?: InstagramLogger;
};

export type InstagramChannel = ChannelAdapter & {
  /** The last status reported (`disabled` before the first start). */
  currentStatus(): ChannelStatus;
};

// ---- The parts of Instagram's direct JSON the adapter reads --------------------------------------
// instagram-private-api's response types cover only text items, so these describe the wire format
// itself. Big numbers arrive as strings (json-bigint turns any number of more than 15 digits into
// one), smaller ones as numbers: ids are typed as either.

export type IgId = string | number;

export type IgUser = { pk: IgId; username?: string; full_name?: string };

export type IgImageCandidate = { url: string; width?: number; height?: number };
export type IgVideoVersion = { url: string; width?: number; height?: number; type?: number };

export type IgMedia = {
  id?: IgId;
  pk?: IgId;
  code?: string;
  media_type?: number;
  user?: IgUser;
  image_versions2?: { candidates?: IgImageCandidate[] };
  video_versions?: IgVideoVersion[];
  caption?: { text?: string } | null;
};

export type IgDirectItem = {
  item_id: string;
  user_id: IgId;
  timestamp: IgId;
  item_type: string;
  text?: string;
  link?: { text?: string; link_context?: { link_url?: string } };
  media?: IgMedia;
  media_share?: IgMedia;
  clip?: { clip?: IgMedia };
  felix_share?: { video?: IgMedia };
  story_share?: { media?: IgMedia; text?: string; title?: string; message?: string };
  reel_share?: { text?: string; type?: string; media?: IgMedia };
  voice_media?: { media?: { id?: IgId; audio?: { audio_src?: string; duration?: number } } };
  like?: string;
};

export type IgDirectThread = {
  thread_id: string;
  users?: IgUser[];
  inviter?: IgUser;
  items?: IgDirectItem[];
  last_activity_at?: IgId;
  is_group?: boolean;
  pending?: boolean;
  has_older?: boolean;
  oldest_cursor?: string;
};

/** Where a thread was read from: the main inbox, or message requests. */
export type ThreadSource = 'inbox' | 'pending';

/** An item's place in its thread, the unit of a cursor: microseconds, then item id to break ties. */
export type ItemPosition = { timestamp: string; itemId: string };

/** Downloads one media URL, refusing anything over `maxBytes`. */
export type MediaFetcher = (url: string, maxBytes: number) => Promise<Uint8Array>;

/** An item not taken in: why, and identifiers safe to log (no message content). */
export type SkippedItem = { kind: 'skipped'; reason: string; detail: Record<string, unknown> };

export type NormalizedItem =
  | { kind: 'message'; message: InboundMessage }
  /** Sent by the account itself (an officer's reply, or the owner typing in the app). */
  | { kind: 'own' }
  | SkippedItem;

export type { RetryBackoff };
