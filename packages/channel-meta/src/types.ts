import type {
  ChannelAdapter,
  DeliveryReceipt,
  InboundMessage,
  InboundReferral,
  Logger,
  RetryBackoff,
} from '@loket/core';

/** The part of core's logger the adapters use; pino's logger fits as it is. */
export type MetaLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

type MetaCommonConfig = {
  /** A long-lived (system user) access token, sent as `Authorization: Bearer`. */
  accessToken: string;
  /** The Meta app's secret: webhook bodies are signed with it (X-Hub-Signature-256). */
  appSecret: string;
  /** The token typed into the app's webhook settings; Meta echoes it in the GET verification. */
  verifyToken: string;
  /** Graph API version path segment, `v21.0` by default. */
  graphApiVersion?: string;
  /** Ceiling for attachment downloads, whatever the caller asks. Defaults to 100 MiB. */
  maxMediaBytes?: number;
  logger?: MetaLogger;
  /** Waits between token checks while Meta is unreachable. */
  backoff?: Partial<RetryBackoff>;
  /** Per-request timeout for JSON calls; downloads get longer. Defaults to 15 s. */
  requestTimeoutMs?: number;
};

export type WhatsAppCloudConfig = MetaCommonConfig & {
  /** The WhatsApp phone number id (not the phone number itself). */
  phoneNumberId: string;
  /** Defaults to https://graph.facebook.com; tests point it at the fake on 127.0.0.1. */
  graphApiRoot?: string;
};

export type InstagramGraphConfig = MetaCommonConfig & {
  /** The Instagram professional account id that webhooks name in `entry[].id`. */
  accountId: string;
  /** Defaults to https://graph.instagram.com (Instagram API with Instagram Login). */
  graphApiRoot?: string;
  /**
   * Tag officers' replies HUMAN_AGENT, which Instagram accepts up to 7 days after the citizen's last
   * message instead of 24 hours. Needs the Human Agent permission on the app. Off by default.
   */
  humanAgentTag?: boolean;
};

/** The `hub.*` parameters of Meta's GET verification request. */
export type SubscriptionQuery = { mode?: string; verifyToken?: string; challenge?: string };
export type SubscriptionAnswer = { status: 200; body: string } | { status: 403 };

/** One POST from Meta: the body exactly as received, and the X-Hub-Signature-256 header. */
export type MetaWebhookRequest = { rawBody: Uint8Array; signature: string | undefined };

/**
 * 200 stored (or deliberately skipped), 400 not a webhook of this kind, 401 bad signature, 500 storing
 * failed (Meta retries), 503 the channel is not started (Meta retries).
 */
export type MetaWebhookStatus = 200 | 400 | 401 | 500 | 503;

export type MetaChannel = ChannelAdapter & {
  verifySubscription(query: SubscriptionQuery): SubscriptionAnswer;
  handleWebhook(request: MetaWebhookRequest): Promise<{ status: MetaWebhookStatus }>;
};

/** What one webhook payload amounts to, in the order it must be handed over. */
export type WebhookItem =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'receipt'; receipt: DeliveryReceipt }
  /** A referral without a message (ig.me link opened, nothing written yet): kept, never answered. */
  | { kind: 'referral'; referral: InboundReferral }
  /** Not ingested, counted through onRejected. The detail carries ids only, never content. */
  | { kind: 'rejected'; reason: string; detail: Record<string, unknown> }
  /** Not ingested and not worth counting (our own echoes). */
  | { kind: 'ignored'; reason: string; detail: Record<string, unknown> };

/** Fetches bytes of an inbound attachment, refusing anything over `maxBytes`. */
export type MediaFetcher = (maxBytes: number) => Promise<Uint8Array>;

export type { RetryBackoff };
