import type {
  AuditLog,
  ChannelControl,
  Clock,
  ComplaintContext,
  ComplaintQueries,
  InboxStore,
  Logger,
  SettingsStore,
  TicketQueries,
  User,
  UserStore,
} from '@loket/core';

/** A webhook a channel mounts on the API server. Resolves only after the update is stored. */
export type ChannelWebhook = (request: {
  headers: Headers;
  body: unknown;
}) => Promise<{ status: 200 | 400 | 401 | 500 | 503 }>;

/** Pairing a WhatsApp number (Baileys): the QR a phone scans, or a code typed on the phone. */
export type WhatsAppPairing = {
  /** Null when WhatsApp is not running. */
  state(): { running: boolean; qr: { qr: string; expiresAt: Date } | null };
  requestPairingCode(phoneNumber: string): Promise<string>;
};

/** Everything the API needs, built once at boot and passed in. */
export type ApiDeps = {
  store: InboxStore;
  tickets: TicketQueries;
  complaints: ComplaintQueries;
  /** The office calendar for complaint stage deadlines, from the current policy. */
  complaintContext(): Promise<ComplaintContext>;
  users: UserStore;
  settings: SettingsStore;
  audit: AuditLog;
  channels: ChannelControl;
  clock: Clock;
  logger: Logger;
  /** Request bodies over this many bytes get 413. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Failed authentications allowed per client address in `authFailureWindowMs` before 429. */
  authFailureLimit?: number;
  authFailureWindowMs?: number;
  webhooks?: { telegram?: ChannelWebhook };
  whatsappPairing?: WhatsAppPairing;
  /** Called after a reply is queued so the delivery worker can start at once instead of at its next poll. */
  onReplyQueued?: () => void;
};

export type AppEnv = {
  Variables: {
    requestId: string;
    user: User;
  };
};
