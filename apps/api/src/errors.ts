import { z } from '@hono/zod-openapi';

export const errorCodeSchema = z.enum([
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'TICKET_NOT_FOUND',
  'COMPLAINT_NOT_FOUND',
  'REASON_REQUIRED',
  'CONTACT_NOT_FOUND',
  'ATTACHMENT_NOT_FOUND',
  'ATTACHMENT_NOT_KEPT',
  'INVALID_TRANSITION',
  'USER_EXISTS',
  'USER_NOT_FOUND',
  'LAST_ADMIN',
  'CANNED_RESPONSE_NOT_FOUND',
  'SHORTCUT_EXISTS',
  'TICKET_CLOSED',
  'REPLY_WINDOW_CLOSED',
  'CHANNEL_NOT_CONFIGURED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'CHANNEL_DISABLED',
  'CHANNEL_UNAVAILABLE',
  'DATABASE_UNAVAILABLE',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const STATUS_OF: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  COMPLAINT_NOT_FOUND: 404,
  REASON_REQUIRED: 400,
  CONTACT_NOT_FOUND: 404,
  ATTACHMENT_NOT_FOUND: 404,
  ATTACHMENT_NOT_KEPT: 404,
  INVALID_TRANSITION: 409,
  USER_EXISTS: 409,
  USER_NOT_FOUND: 404,
  LAST_ADMIN: 409,
  CANNED_RESPONSE_NOT_FOUND: 404,
  SHORTCUT_EXISTS: 409,
  TICKET_CLOSED: 409,
  REPLY_WINDOW_CLOSED: 409,
  CHANNEL_NOT_CONFIGURED: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CHANNEL_DISABLED: 503,
  CHANNEL_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      requestId: z.string(),
      issues: z.array(fieldIssueSchema).optional(),
    }),
  })
  .openapi('Error');

/** Thrown by routes and middleware; `onError` renders it as the envelope. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues?: { path: string; message: string }[];
  readonly headers?: Record<string, string>;
  constructor(
    code: ErrorCode,
    message: string,
    extra: { issues?: { path: string; message: string }[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = extra.issues;
    this.headers = extra.headers;
  }
}

export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
}

/** The responses every authenticated route can give, for the OpenAPI document. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 429 | 503)[]) {
  const descriptions: Record<number, string> = {
    400: 'Validation failed or malformed JSON',
    401: 'No token, or a bad one',
    403: 'The role may not do this',
    404: 'No such resource',
    409: 'Conflict with the current state',
    413: 'Body over the limit',
    429: 'Too many requests',
    503: 'Channel disabled or down',
  };
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { 'application/json': { schema: errorEnvelopeSchema } },
      },
    ]),
  );
}
