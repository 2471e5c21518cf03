import { ChannelError } from '@loket/core';
import {
  IgActionSpamError,
  IgCheckpointError,
  IgLoginBadPasswordError,
  IgLoginInvalidUserError,
  IgLoginRequiredError,
  IgLoginTwoFactorRequiredError,
  IgNetworkError,
  IgNotFoundError,
  IgResponseError,
  IgUserHasLoggedOutError,
} from 'instagram-private-api';

export type IgFailureKind =
  | 'login_required'
  | 'challenge'
  | 'two_factor'
  | 'bad_credentials'
  | 'rate_limited'
  | 'action_blocked'
  | 'not_found'
  | 'forbidden'
  | 'network'
  | 'server'
  | 'other';

/** How a failed call is treated, decided once so login, polling and sending agree. */
export type IgFailure = {
  kind: IgFailureKind;
  description: string;
  httpStatus?: number;
  /** Seconds Instagram asked us to wait (Retry-After); it seldom says. */
  retryAfter?: number;
};

/** A spam block ("Try Again Later") lasts hours; retrying sooner only extends it. */
export const ACTION_BLOCK_RETRY_SECONDS = 3600;
/** Instagram's 429 seldom says how long; a minute is what the app itself waits. */
export const RATE_LIMIT_RETRY_SECONDS = 60;

function retryAfterOf(error: IgResponseError): number | undefined {
  const header = error.response?.headers?.['retry-after'];
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

function responseText(error: IgResponseError): string {
  const body: unknown = error.response?.body;
  if (typeof body === 'object' && body !== null) {
    const message = (body as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return error.message;
}

/**
 * Anything that is not an Instagram answer (refused connection, reset socket) is a transport failure
 * and worth retrying; so is a 5xx or an answer that is not JSON.
 */
export function classifyIgError(error: unknown): IgFailure {
  // Subclasses before the classes they extend: every login error is an IgResponseError.
  if (error instanceof IgLoginTwoFactorRequiredError) {
    return { kind: 'two_factor', description: 'two-factor authentication is required' };
  }
  if (error instanceof IgLoginBadPasswordError) {
    return { kind: 'bad_credentials', description: 'Instagram rejected the password' };
  }
  if (error instanceof IgLoginInvalidUserError) {
    return { kind: 'bad_credentials', description: 'Instagram does not know this username' };
  }
  if (error instanceof IgCheckpointError) {
    return { kind: 'challenge', description: 'Instagram asks to confirm this login (checkpoint)' };
  }
  if (error instanceof IgLoginRequiredError || error instanceof IgUserHasLoggedOutError) {
    return { kind: 'login_required', description: 'Instagram ended the session (login_required)' };
  }
  if (error instanceof IgActionSpamError) {
    return {
      kind: 'action_blocked',
      description: `Instagram blocked the action as spam: ${responseText(error)}`,
    };
  }
  if (error instanceof IgNotFoundError) {
    return { kind: 'not_found', description: responseText(error), httpStatus: 404 };
  }
  if (error instanceof IgResponseError) {
    const status = error.response?.statusCode;
    const description = `HTTP ${status}: ${responseText(error)}`;
    if (status === 429) {
      const retryAfter = retryAfterOf(error);
      return {
        kind: 'rate_limited',
        description,
        httpStatus: status,
        ...(retryAfter === undefined ? {} : { retryAfter }),
      };
    }
    if (status !== undefined && status >= 500) return { kind: 'server', description, httpStatus: status };
    if (status === 403) return { kind: 'forbidden', description, httpStatus: status };
    return { kind: 'other', description, httpStatus: status };
  }
  if (error instanceof IgNetworkError) {
    return { kind: 'network', description: `network error: ${error.message || 'no answer'}` };
  }
  return { kind: 'other', description: error instanceof Error ? error.message : String(error) };
}

const CHANNEL_CODES: Record<IgFailureKind, { code: string; retryable: boolean }> = {
  rate_limited: { code: 'RATE_LIMITED', retryable: true },
  action_blocked: { code: 'ACTION_BLOCKED', retryable: true },
  // The adapter logs in again on its next poll, so a later attempt finds a live session.
  login_required: { code: 'LOGIN_REQUIRED', retryable: true },
  // Retrying helps once the owner approves the login in the app.
  challenge: { code: 'CHALLENGE_REQUIRED', retryable: true },
  two_factor: { code: 'TWO_FACTOR_REQUIRED', retryable: false },
  bad_credentials: { code: 'BAD_CREDENTIALS', retryable: false },
  not_found: { code: 'THREAD_NOT_FOUND', retryable: false },
  forbidden: { code: 'FORBIDDEN', retryable: false },
  network: { code: 'NETWORK', retryable: true },
  server: { code: 'SERVER_ERROR', retryable: true },
  other: { code: 'BAD_REQUEST', retryable: false },
};

/** How long a sender should wait before trying again, in seconds. */
function retryAfterFor(failure: IgFailure): number | undefined {
  if (failure.retryAfter !== undefined) return failure.retryAfter;
  if (failure.kind === 'rate_limited') return RATE_LIMIT_RETRY_SECONDS;
  if (failure.kind === 'action_blocked') return ACTION_BLOCK_RETRY_SECONDS;
  return undefined;
}

export function toChannelError(error: unknown, action: string): ChannelError {
  if (error instanceof ChannelError) return error;
  const failure = classifyIgError(error);
  const { code, retryable } = CHANNEL_CODES[failure.kind];
  const retryAfter = retryAfterFor(failure);
  return new ChannelError('instagram', `${action} failed: ${failure.description}`, {
    retryable,
    code,
    cause: error,
    ...(retryAfter === undefined ? {} : { retryAfter }),
  });
}
