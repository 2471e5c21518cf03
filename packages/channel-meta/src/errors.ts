import { ChannelError } from '@loket/core';

export type MetaChannelName = 'whatsapp-cloud' | 'instagram-graph';

/** The `error` object of a Graph API error answer (and of a WhatsApp `statuses[].errors[]` entry). */
export type GraphErrorBody = {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  /** WhatsApp status errors carry the title here instead of in `message`. */
  title?: string;
  error_user_msg?: string;
  error_data?: { details?: string; messaging_product?: string } | string;
  is_transient?: boolean;
  fbtrace_id?: string;
};

/** How a failure should be treated, decided once so sending, the token check and receipts agree. */
export type GraphFailure = {
  retryable: boolean;
  code: string;
  /** What happened, for the officer who sees it on the message. */
  explanation: string;
  /** Seconds to wait before trying again. */
  retryAfter?: number;
  /** The token is expired or revoked: the channel needs a new one (status needs_login). */
  authFailure?: boolean;
};

/** Pair rate limit: WhatsApp allows about one message every 6 s to one user, and asks for a pause. */
const PAIR_RATE_LIMIT_WAIT_SECONDS = 60;
/** Throughput limit: per-second, so a short pause is enough. */
const THROUGHPUT_WAIT_SECONDS = 5;
/** Graph app/account rate limits count over a rolling hour; a minute lets part of it drain. */
const RATE_LIMIT_WAIT_SECONDS = 60;

const GRAPH_RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80007]);
const TRANSIENT_CODES = new Set([1, 2, 131000, 131016]);
const WINDOW_CLOSED_SUBCODES = new Set([2018278, 2534022]);

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Reads `{ error: {...} }` from a Graph answer; undefined when the body is not one. */
export function parseGraphErrorBody(body: unknown): GraphErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const raw = error as Record<string, unknown>;
  const parsed: GraphErrorBody = { ...(raw as GraphErrorBody) };
  // Some proxies and older answers send codes as strings.
  const code = toNumber(raw.code);
  const subcode = toNumber(raw.error_subcode);
  if (code === undefined) delete parsed.code;
  else parsed.code = code;
  if (subcode === undefined) delete parsed.error_subcode;
  else parsed.error_subcode = subcode;
  return parsed;
}

/** HTTP Retry-After: delta seconds or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function platformName(channel: MetaChannelName): string {
  return channel === 'whatsapp-cloud' ? 'WhatsApp' : 'Instagram';
}

function windowClosed(channel: MetaChannelName): GraphFailure {
  const explanation =
    channel === 'whatsapp-cloud'
      ? "The citizen's last WhatsApp message was more than 24 hours ago, so WhatsApp no longer accepts " +
        'a free-form reply. The citizen has to write to us again first.'
      : "The citizen's last Instagram message was more than 24 hours ago (7 days for an officer's reply " +
        'when the human-agent tag is on), so Instagram refuses the reply. The citizen has to write to us again first.';
  return { retryable: false, code: 'REPLY_WINDOW_CLOSED', explanation };
}

/** Classifies by Graph error code first (Meta's advice), then by HTTP status. */
export function classifyGraphError(
  channel: MetaChannelName,
  input: { httpStatus?: number; error?: GraphErrorBody; retryAfterHeader?: string | null },
): GraphFailure {
  const platform = platformName(channel);
  const code = input.error?.code;
  const subcode = input.error?.error_subcode;
  const headerWait = parseRetryAfter(input.retryAfterHeader);
  const status = input.httpStatus;

  if (code === 190 || (code === 102 && status === 401)) {
    return {
      retryable: false,
      code: 'AUTH',
      authFailure: true,
      explanation: `Meta rejected the ${platform} access token (expired or revoked). An administrator must enter a new token for this channel.`,
    };
  }
  if (code === 131047) return windowClosed(channel);
  if (subcode !== undefined && WINDOW_CLOSED_SUBCODES.has(subcode)) return windowClosed(channel);
  if (code === 2534022) return windowClosed(channel);
  if (code === 131056) {
    return {
      retryable: true,
      code: 'RATE_LIMITED',
      retryAfter: headerWait ?? PAIR_RATE_LIMIT_WAIT_SECONDS,
      explanation:
        'Too many messages to this citizen in a short time; WhatsApp asks us to pause before the next one.',
    };
  }
  if (code === 130429) {
    return {
      retryable: true,
      code: 'RATE_LIMITED',
      retryAfter: headerWait ?? THROUGHPUT_WAIT_SECONDS,
      explanation:
        "WhatsApp's sending limit for this number was reached; the message will be sent again shortly.",
    };
  }
  if (code !== undefined && GRAPH_RATE_LIMIT_CODES.has(code)) {
    return {
      retryable: true,
      code: 'RATE_LIMITED',
      retryAfter: headerWait ?? RATE_LIMIT_WAIT_SECONDS,
      explanation: `Meta's API rate limit for ${platform} was reached; the message will be sent again later.`,
    };
  }
  if (code === 131026 || code === 131030 || (code === 100 && subcode === 2018001)) {
    return {
      retryable: false,
      code: 'BAD_RECIPIENT',
      explanation:
        channel === 'whatsapp-cloud'
          ? 'WhatsApp cannot deliver to this number: it may not use WhatsApp, may have blocked business messages, or is not an allowed test recipient.'
          : 'Instagram cannot find this user: the account may be deleted, or it does not accept messages from us.',
    };
  }
  if (code === 131051) {
    return {
      retryable: false,
      code: 'UNSUPPORTED',
      explanation: `${platform} does not support this kind of message.`,
    };
  }
  if (code === 131053 || code === 131052) {
    return {
      retryable: false,
      code: 'MEDIA_FAILED',
      explanation: `${platform} could not process the attached file.`,
    };
  }
  if (code === 368 || code === 131031) {
    return {
      retryable: false,
      code: 'BLOCKED',
      explanation: `Meta has restricted this ${platform} account (policy enforcement); messages cannot be sent until it is lifted.`,
    };
  }
  if (code === 3 || code === 10 || (code !== undefined && code >= 200 && code <= 299)) {
    return {
      retryable: false,
      code: 'PERMISSION',
      explanation: `The ${platform} access token lacks the permission for this action; an administrator must grant it in Meta's app settings.`,
    };
  }
  if (code === 100) {
    return {
      retryable: false,
      code: 'INVALID_REQUEST',
      explanation: `${platform} refused the request as invalid.`,
    };
  }
  if ((code !== undefined && TRANSIENT_CODES.has(code)) || input.error?.is_transient === true) {
    return {
      retryable: true,
      code: 'SERVER_ERROR',
      ...(headerWait === undefined ? {} : { retryAfter: headerWait }),
      explanation: `Meta's ${platform} service had a temporary problem; the message will be sent again.`,
    };
  }
  if (status !== undefined && (status >= 500 || status === 429)) {
    return {
      retryable: true,
      code: status === 429 ? 'RATE_LIMITED' : 'SERVER_ERROR',
      ...(headerWait === undefined ? {} : { retryAfter: headerWait }),
      explanation: `Meta's ${platform} service answered HTTP ${status}; the message will be sent again.`,
    };
  }
  if (status === 401) {
    return {
      retryable: false,
      code: 'AUTH',
      authFailure: true,
      explanation: `Meta refused the ${platform} credentials (HTTP 401). An administrator must check the access token.`,
    };
  }
  return {
    retryable: false,
    code: 'GRAPH_ERROR',
    explanation: `${platform} refused the request${status === undefined ? '' : ` (HTTP ${status})`}.`,
  };
}

/** `Meta error 131047/2494010: Re-engagement message (trace Abc)`: what support needs to look it up. */
export function describeMetaError(error: GraphErrorBody | undefined): string | undefined {
  if (!error) return undefined;
  const codes = [error.code, error.error_subcode].filter((part) => part !== undefined).join('/');
  const details = typeof error.error_data === 'object' ? error.error_data?.details : undefined;
  const text = [error.message ?? error.title, details].filter(Boolean).join(': ');
  const trace = error.fbtrace_id ? ` (trace ${error.fbtrace_id})` : '';
  if (!codes && !text) return undefined;
  return `Meta error${codes ? ` ${codes}` : ''}${text ? `: ${text}` : ''}${trace}`;
}

/** The officer-facing sentence for a failure, with Meta's own words in brackets for support. */
export function failureMessage(failure: GraphFailure, error: GraphErrorBody | undefined): string {
  const meta = describeMetaError(error);
  return meta ? `${failure.explanation} [${meta}]` : failure.explanation;
}

export function graphChannelError(
  channel: MetaChannelName,
  input: { httpStatus?: number; error?: GraphErrorBody; retryAfterHeader?: string | null },
  cause?: unknown,
): ChannelError {
  const failure = classifyGraphError(channel, input);
  return new ChannelError(channel, failureMessage(failure, input.error), {
    retryable: failure.retryable,
    code: failure.code,
    cause: cause ?? input.error,
    ...(failure.retryAfter === undefined ? {} : { retryAfter: failure.retryAfter }),
  });
}

/** A refused connection, a reset socket or a timeout: nothing reached Meta, or no answer came back. */
export function networkChannelError(channel: MetaChannelName, what: string, error: unknown): ChannelError {
  const timedOut = error instanceof Error && error.name === 'TimeoutError';
  const reason = timedOut ? 'no answer in time' : describeCause(error);
  return new ChannelError(
    channel,
    `Could not reach ${platformName(channel)} (${what}: ${reason}); the message will be sent again.`,
    { retryable: true, code: 'NETWORK', cause: error },
  );
}

/** Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED, ...) is in the cause. */
function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message}, ${code}` : `${error.message}, ${cause.message}`;
  }
  return error.message;
}
