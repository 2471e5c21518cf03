import { randomBytes } from 'node:crypto';

/** A Graph API error the fake answers with instead of doing the call. */
export type GraphFailureSpec =
  | {
      /** HTTP status of the answer; Meta uses 400 for most errors. */
      httpStatus?: number;
      code: number;
      subcode?: number;
      message?: string;
      type?: string;
      /** `error_data.details`, WhatsApp's longer explanation. */
      details?: string;
      /** Sent as the Retry-After header, in seconds. */
      retryAfter?: number;
      isTransient?: boolean;
    }
  /** The connection is dropped without an answer, as when a proxy or the network fails. */
  | { network: 'reset' };

/** Which kind of call a failure is queued for. */
export type GraphCallKind =
  | 'whatsapp-send'
  | 'instagram-send'
  | 'media-upload'
  | 'media-info'
  | 'media-download'
  | 'instagram-attachment'
  | 'profile'
  | 'token-check';

export type GraphErrorJson = {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product?: string; details: string };
    is_transient?: boolean;
    fbtrace_id: string;
  };
};

export function fbtraceId(): string {
  return randomBytes(9).toString('base64url');
}

export function graphErrorJson(failure: Exclude<GraphFailureSpec, { network: 'reset' }>): GraphErrorJson {
  return {
    error: {
      message: failure.message ?? `(#${failure.code}) Error`,
      type: failure.type ?? 'OAuthException',
      code: failure.code,
      ...(failure.subcode === undefined ? {} : { error_subcode: failure.subcode }),
      ...(failure.details === undefined
        ? {}
        : { error_data: { messaging_product: 'whatsapp', details: failure.details } }),
      ...(failure.isTransient === undefined ? {} : { is_transient: failure.isTransient }),
      fbtrace_id: fbtraceId(),
    },
  };
}

/** The failures Meta really answers with, worded as Meta words them. */
export const graphFailures = {
  /** WhatsApp: too many messages to one user in a short time. */
  pairRateLimit: (): GraphFailureSpec => ({
    httpStatus: 400,
    code: 131056,
    message: '(#131056) (Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  }),
  /** WhatsApp: the number's messages-per-second limit. */
  throughput: (retryAfter?: number): GraphFailureSpec => ({
    httpStatus: 429,
    code: 130429,
    message: '(#130429) Rate limit hit',
    details: 'Message failed to send because there were too many messages sent from this phone number.',
    ...(retryAfter === undefined ? {} : { retryAfter }),
  }),
  /** Graph app-level rate limit (code 4). */
  appRateLimit: (retryAfter?: number): GraphFailureSpec => ({
    httpStatus: 400,
    code: 4,
    message: '(#4) Application request limit reached',
    ...(retryAfter === undefined ? {} : { retryAfter }),
  }),
  /** WhatsApp: more than 24 hours since the customer's last message. */
  reengagement: (): GraphFailureSpec => ({
    httpStatus: 400,
    code: 131047,
    message: '(#131047) Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  }),
  /** Instagram: outside the messaging window. */
  instagramWindowClosed: (): GraphFailureSpec => ({
    httpStatus: 400,
    code: 10,
    subcode: 2018278,
    message: '(#10) This message is sent outside of allowed window.',
  }),
  tokenExpired: (): GraphFailureSpec => ({
    httpStatus: 401,
    code: 190,
    subcode: 463,
    message: 'Error validating access token: Session has expired on Friday, 07-Mar-25 01:00:00 PST.',
  }),
  /** WhatsApp: the number cannot receive the message. */
  undeliverable: (): GraphFailureSpec => ({
    httpStatus: 400,
    code: 131026,
    message: '(#131026) Message Undeliverable',
    details: 'Message failed to send because the recipient cannot receive it.',
  }),
  instagramUserNotFound: (): GraphFailureSpec => ({
    httpStatus: 400,
    code: 100,
    subcode: 2018001,
    message: '(#100) No matching user found',
  }),
  serverError: (): GraphFailureSpec => ({
    httpStatus: 500,
    code: 2,
    message: 'Service temporarily unavailable',
    isTransient: true,
  }),
  connectionReset: (): GraphFailureSpec => ({ network: 'reset' }),
} as const;
