import type { Agent } from 'node:https';
import type { ChannelAdapter, ChannelSessionStore, InboundMessage, RetryBackoff } from '@loket/core';
import type { WAMessage } from '@whiskeysockets/baileys';

/** Matches pino's `(detail, message)` order, so the app's logger can be passed in as is. */
export type WhatsAppLogger = {
  debug(detail: Record<string, unknown>, message: string): void;
  info(detail: Record<string, unknown>, message: string): void;
  warn(detail: Record<string, unknown>, message: string): void;
  error(detail: Record<string, unknown>, message: string): void;
};

export type PacingOptions = {
  /** Least time between two messages to the same chat. */
  perChatIntervalMs: number;
  /** Most messages sent in any 60-second window, over all chats. */
  globalPerMinute: number;
};

export type WhatsAppChannelConfig = {
  /** Where creds and Signal keys live. The gateway passes a database-backed one. */
  session: ChannelSessionStore;
  /** Session namespace in the store. Defaults to 'whatsapp'; pending inbound messages use `<namespace>:inbound`. */
  sessionNamespace?: string;
  /** WhatsApp Web's WebSocket URL. Defaults to Baileys' own; tests point it at a fake. */
  waWebSocketUrl?: string;
  logger?: WhatsAppLogger;
  /** Take messages written in groups. Off by default: the office talks to citizens one to one. */
  acceptGroups?: boolean;
  /** Ceiling for attachment downloads, whatever the caller asks. Defaults to 64 MiB. */
  maxMediaBytes?: number;
  /** Outbound pacing; bursts from a linked device are what gets numbers banned. */
  pacing?: Partial<PacingOptions>;
  /** A socket that is "open" but receives no frame for this long is recycled. Defaults to 5 minutes. */
  watchdogSilenceMs?: number;
  /** Waits between reconnects and between retries of a failed onMessage. */
  backoff?: Partial<RetryBackoff>;
  /** Let Baileys fire its init queries (props, blocklist, privacy) on open. Defaults to true. */
  fireInitQueries?: boolean;
  /** The linked-device name shown on the phone: [os, browser, version]. Defaults to Baileys' own. */
  browser?: [string, string, string];
  /** HTTPS agent for media uploads (an outbound proxy; in tests, trust in the fake's certificate). */
  mediaUploadAgent?: Agent;
  /**
   * For end-to-end runs against the fake server in packages/testkit only: the root key of the Noise
   * certificate chain to trust instead of WhatsApp's. Baileys reads it from a process-wide object
   * (WA_CERT_DETAILS), so it applies to every socket in the process. Never set it in production.
   */
  trustedRootPublicKey?: Uint8Array;
  /** WhatsApp Web version to announce. Defaults to the one Baileys ships with. */
  version?: [number, number, number];
  /**
   * WhatsApp told us a LID and a phone JID are one person (`lid-mapping.update`). Merging the two
   * contacts is a database concern, so the gateway decides what to do (core's `linkIdentities`).
   */
  onIdentityLink?(lid: string, pn: string): void | Promise<void>;
};

export type WhatsAppQr = { qr: string; expiresAt: Date };

export type WhatsAppChannel = ChannelAdapter & {
  /** The QR to scan while the channel needs pairing, or null (linked, connecting, or not started). */
  currentQr(): WhatsAppQr | null;
  /**
   * Asks WhatsApp for an 8-character code to type in WhatsApp › Linked devices › Link with phone
   * number. Works once the first QR of the current connection has arrived.
   */
  requestPairingCode(phoneNumber: string): Promise<string>;
};

/** A message not taken in: why, and identifiers safe to log (no message content). */
export type SkippedMessage = { kind: 'skipped'; reason: string; detail: Record<string, unknown> };

export type NormalizedMessage = { kind: 'message'; message: InboundMessage } | SkippedMessage;

/** Downloads one message's media, refusing anything over `maxBytes`. */
export type MediaFetcher = (
  message: WAMessage,
  announcedSize: number | undefined,
  maxBytes: number,
) => Promise<Uint8Array>;

export type { RetryBackoff };
