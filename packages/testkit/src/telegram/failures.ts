/** A failure the fake answers with instead of running the method. */
export type InjectedFailure =
  | { status: number; description?: string; retryAfter?: number }
  /** The connection is dropped without an answer, as when a proxy or the network fails. */
  | { network: 'reset' };

export type ApiErrorBody = {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
};

/** A Bot API error a handler throws; the server turns it into the JSON error body. */
export class ApiFailure extends Error {
  readonly status: number;
  readonly retryAfter?: number;
  constructor(status: number, description: string, retryAfter?: number) {
    super(description);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

const DEFAULT_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

export function errorBody(status: number, description?: string, retryAfter?: number): ApiErrorBody {
  const text =
    description ??
    (status === 429
      ? `Too Many Requests: retry after ${retryAfter ?? 1}`
      : (DEFAULT_DESCRIPTIONS[status] ?? 'Error'));
  return {
    ok: false,
    error_code: status,
    description: text,
    ...(retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } }),
  };
}

/** The failures Telegram really answers with, worded as Telegram words them. */
export const telegramFailures = {
  tooManyRequests: (retryAfter: number): InjectedFailure => ({
    status: 429,
    description: `Too Many Requests: retry after ${retryAfter}`,
    retryAfter,
  }),
  botBlocked: (): InjectedFailure => ({ status: 403, description: 'Forbidden: bot was blocked by the user' }),
  chatNotFound: (): InjectedFailure => ({ status: 400, description: 'Bad Request: chat not found' }),
  unauthorized: (): InjectedFailure => ({ status: 401, description: 'Unauthorized' }),
  conflict: (): InjectedFailure => ({
    status: 409,
    description:
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  }),
  badGateway: (): InjectedFailure => ({ status: 502, description: 'Bad Gateway' }),
  connectionReset: (): InjectedFailure => ({ network: 'reset' }),
} as const;
