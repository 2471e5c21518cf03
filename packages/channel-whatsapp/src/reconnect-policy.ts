import type { ChannelState } from '@loket/core';
import type { RetryBackoff } from './types.ts';

/** Baileys' DisconnectReason values, named here so the table below reads as the issue's table. */
export const DISCONNECT = {
  loggedOut: 401,
  forbidden: 403,
  timedOut: 408,
  multideviceMismatch: 411,
  connectionClosed: 428,
  connectionReplaced: 440,
  badSession: 500,
  unavailableService: 503,
  restartRequired: 515,
} as const;

export type DisconnectDecision =
  | {
      action: 'reconnect';
      delayMs: number;
      /** Forget creds and keys first: the next socket pairs from scratch. */
      wipeSession: boolean;
      state: ChannelState;
      detail: string;
    }
  | { action: 'stop'; state: 'replaced' | 'banned'; detail: string };

export type DisconnectInput = {
  /** `lastDisconnect.error.output.statusCode`; undefined when the error carried none. */
  statusCode: number | undefined;
  /** The error's message, for the admin's detail line. */
  reason?: string;
  /** Closes in a row without reaching `open`, this one included (1 for the first). */
  attempt: number;
  backoff: RetryBackoff;
  /** Math.random by default; injected in tests. */
  random?: () => number;
};

/**
 * Reads the status code Baileys puts on the close error. A Boom carries it in `output.statusCode`;
 * the check is structural because Baileys and this package load different @hapi/boom versions.
 */
export function disconnectStatusCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const output = (error as { output?: { statusCode?: unknown } }).output;
  return typeof output?.statusCode === 'number' ? output.statusCode : undefined;
}

/**
 * Capped exponential backoff with "equal jitter": half the step is fixed, half random, so a fleet of
 * gateways that lost WhatsApp at the same moment does not come back at the same moment.
 */
export function backoffDelay(attempt: number, backoff: RetryBackoff, random: () => number = Math.random) {
  const step = Math.min(backoff.maxDelayMs, backoff.initialDelayMs * 2 ** Math.max(attempt - 1, 0));
  return Math.round(step / 2 + (random() * step) / 2);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/**
 * What to do when a socket closes. The socket never reconnects by itself, so every close passes
 * through here. Only a ban (403) and a replaced session (440) stop the channel: everything else ends
 * in a new socket, after wiping the session when WhatsApp says it is no longer valid.
 */
export function decideAfterDisconnect(input: DisconnectInput): DisconnectDecision {
  const { statusCode, attempt, backoff } = input;
  const reason = input.reason ? `: ${input.reason}` : '';
  switch (statusCode) {
    case DISCONNECT.loggedOut:
      return {
        action: 'reconnect',
        delayMs: attempt > 1 ? backoffDelay(attempt - 1, backoff, input.random) : 0,
        wipeSession: true,
        state: 'logged_out',
        detail:
          'WhatsApp logged this device out (401). The session was wiped: pair again with the new QR code or a pairing code.',
      };
    case DISCONNECT.multideviceMismatch:
      return {
        action: 'reconnect',
        delayMs: attempt > 1 ? backoffDelay(attempt - 1, backoff, input.random) : 0,
        wipeSession: true,
        state: 'logged_out',
        detail: 'WhatsApp rejected this linked device (411). The session was wiped: pair again.',
      };
    case DISCONNECT.restartRequired:
      // Normal right after pairing; a second one in a row without opening is backed off.
      return {
        action: 'reconnect',
        delayMs: attempt > 1 ? backoffDelay(attempt - 1, backoff, input.random) : 0,
        wipeSession: false,
        state: 'connecting',
        detail: 'WhatsApp asked for a restart (515); reconnecting.',
      };
    case DISCONNECT.connectionReplaced:
      return {
        action: 'stop',
        state: 'replaced',
        detail:
          'Another WhatsApp Web session for this account replaced this one (440). Close the other session, then restart the channel.',
      };
    case DISCONNECT.forbidden:
      return {
        action: 'stop',
        state: 'banned',
        detail: `WhatsApp refused this account (403${reason}): it may be banned or blocked. Check the phone before restarting the channel.`,
      };
    default: {
      const delayMs = backoffDelay(attempt, backoff, input.random);
      const code = statusCode === undefined ? 'no status code' : String(statusCode);
      return {
        action: 'reconnect',
        delayMs,
        wipeSession: false,
        state: 'disconnected',
        detail: `Connection closed (${code}${reason}); reconnecting in ${seconds(delayMs)}.`,
      };
    }
  }
}
