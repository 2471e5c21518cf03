/** A domain failure the API maps to its error envelope. `code` is one of the API's error codes. */
export class DomainError extends Error {
  readonly code:
    | 'TICKET_NOT_FOUND'
    | 'TICKET_CLOSED'
    | 'NOT_FOUND'
    | 'CONFLICT'
    | 'CHANNEL_NOT_CONFIGURED'
    | 'INVALID_TRANSITION'
    | 'REASON_REQUIRED'
    | 'REPLY_WINDOW_CLOSED';
  constructor(code: DomainError['code'], message: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
  }
}
