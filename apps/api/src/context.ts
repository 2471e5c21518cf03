import type {
  AttachmentRecords,
  AuditLog,
  CannedResponseStore,
  ChannelControl,
  Clock,
  ComplaintContext,
  ComplaintQueries,
  ContactRecords,
  EventLog,
  FileStore,
  InboxStore,
  Logger,
  ReplyWindows,
  ReportQueries,
  SettingsStore,
  TicketQueries,
  User,
  UserStore,
  WebhookEndpointStore,
} from '@loket/core';

/** A webhook a channel mounts on the API server. Resolves only after the update is stored. */
export type ChannelWebhook = (request: {
  headers: Headers;
  body: unknown;
}) => Promise<{ status: 200 | 400 | 401 | 500 | 503 }>;

/** A Meta webhook (WhatsApp Cloud, Instagram Graph): the subscription check and signed deliveries. */
export type MetaWebhook = {
  /** Meta's GET check when the webhook is set up: echo the challenge if the verify token matches. */
  verify(query: {
    mode?: string;
    verifyToken?: string;
    challenge?: string;
  }): { status: 200; body: string } | { status: 403 };
  /** Checks the signature over the raw bytes, then stores; resolves only after storing. */
  handle(request: {
    rawBody: Uint8Array;
    signature: string | undefined;
  }): Promise<{ status: 200 | 400 | 401 | 500 | 503 }>;
};

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
  /** Supervisors' reports (`GET /v1/reports/summary`), computed in the database. */
  reports: ReportQueries;
  /** Attachments' rows, for serving their files (`files`). */
  attachments: AttachmentRecords;
  /** Citizens' data rights: search, export, anonymise. */
  contacts: ContactRecords;
  cannedResponses: CannedResponseStore;
  channels: ChannelControl;
  clock: Clock;
  logger: Logger;
  /** Request bodies over this many bytes get 413. Default 1 MiB. Replies with files: see below. */
  bodyLimitBytes?: number;
  /** Where officers' attachments are kept (the gateway sends them from there). */
  files?: FileStore;
  /** The files of one reply together, decoded. Default 20 MiB; a reply's body may be 4/3 of it plus the text. */
  maxAttachmentBytes?: number;
  /** Failed authentications allowed per client address in `authFailureWindowMs` before 429. */
  authFailureLimit?: number;
  authFailureWindowMs?: number;
  webhooks?: {
    telegram?: ChannelWebhook;
    'whatsapp-cloud'?: MetaWebhook;
    'instagram-graph'?: MetaWebhook;
  };
  /** Reply windows of the channels that have them (Meta's APIs); replies after them get 409. */
  replyWindows?: ReplyWindows;
  whatsappPairing?: WhatsAppPairing;
  /**
   * `gateway`: a gateway process's server, with only /healthz, /metrics and the platform webhooks
   * of the channels it runs. Default `full`.
   */
  surface?: 'full' | 'gateway';
  /** Prometheus metrics: `GET /metrics` renders them, and every request is timed. */
  metrics?: {
    contentType: string;
    render(): Promise<string>;
    observeHttp(method: string, route: string, status: number, seconds: number): void;
  };
  /** When set, `GET /metrics` needs it as a bearer token. */
  metricsToken?: string;
  /** The event log: `GET /v1/events` (SSE) reads it. */
  events?: EventLog;
  /** Outgoing webhooks that admins register (`/v1/admin/webhooks`); new ones start at `events.latestId()`. */
  webhookEndpoints?: WebhookEndpointStore;
  /** Called after a reply is queued so the delivery worker can start at once instead of at its next poll. */
  onReplyQueued?: () => void;
};

export type AppEnv = {
  Variables: {
    requestId: string;
    user: User;
  };
};
