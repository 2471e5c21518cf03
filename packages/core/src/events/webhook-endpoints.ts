import type { NewAuditEntry } from '../ports.ts';
import type { EventType } from './events.ts';

/**
 * An outgoing webhook as admins see it: where events go, which ones, and how delivery stands. The
 * signing secret is not part of it; it is shown once, when created or rotated.
 */
export type WebhookEndpoint = {
  id: string;
  url: string;
  /** The event types it wants; empty: all of them. */
  events: EventType[];
  active: boolean;
  description: string | null;
  /** The last event handled (delivered, or not wanted); delivery goes on after it. */
  lastEventId: string;
  /** Failed attempts in a row; a delivery resets it. */
  failures: number;
  /**
   * Nothing is sent before this time: the end of the backoff after a failure, or of the lease a
   * gateway holds while it delivers. Null when the endpoint is idle and due.
   */
  nextAttemptAt: Date | null;
  /** The last failure's status and short reason, kept until the next delivery. */
  lastError: string | null;
  lastDeliveredAt: Date | null;
  /** The first failure since the last delivery; null while deliveries go through. */
  failingSince: Date | null;
  /**
   * When and why Loket switched the endpoint off itself, after it failed for too long. Null when it
   * is on, or an admin switched it off. Switching it back on clears both.
   */
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type NewWebhookEndpoint = {
  url: string;
  secret: string;
  events: EventType[];
  description: string | null;
  /** Where delivery starts: the newest event when it is added, so it gets only what comes after. */
  lastEventId: string;
};

export type WebhookEndpointChange = {
  url?: string;
  events?: EventType[];
  active?: boolean;
  description?: string | null;
};

/**
 * A gateway's turn at one endpoint. `lease` is the `nextAttemptAt` the claim wrote: every later write
 * of the turn is conditional on it still being there, so a turn that lost its lease (expired and
 * claimed by another gateway, or the endpoint edited or deleted) writes nothing and stops.
 */
export type WebhookTurn = {
  id: string;
  url: string;
  secret: string;
  events: EventType[];
  lastEventId: string;
  failures: number;
  failingSince: Date | null;
  lease: Date;
};

export interface WebhookEndpointStore {
  /** Oldest first. */
  list(): Promise<WebhookEndpoint[]>;
  get(id: string): Promise<WebhookEndpoint | null>;
  create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  /**
   * Null when there is no such endpoint. Switching it back on, or pointing it at another URL, clears
   * the backoff (failures, `nextAttemptAt`, `failingSince`), which also voids any turn in flight.
   * Switching it back on also clears `disabledAt` and `disabledReason`; delivery resumes from the
   * cursor, so the endpoint gets what it missed.
   */
  update(id: string, change: WebhookEndpointChange): Promise<WebhookEndpoint | null>;
  setSecret(id: string, secret: string): Promise<WebhookEndpoint | null>;
  /** False when there was no such endpoint. */
  delete(id: string): Promise<boolean>;

  /** Active endpoints that are due at `now` and behind `latestEventId`: the ones worth a claim. */
  listDue(now: Date, latestEventId: string): Promise<string[]>;
  /**
   * Takes the endpoint's turn if it is active and due, by setting `nextAttemptAt` to `leaseUntil` in
   * one conditional UPDATE: of two gateways claiming at once, one gets it. Null otherwise.
   */
  claim(id: string, now: Date, leaseUntil: Date): Promise<WebhookTurn | null>;
  /**
   * Moves the cursor and renews the lease, while the turn still holds it and the endpoint is active,
   * at the same URL, with the same secret. With `deliveredAt` it also records the delivery (and clears
   * failures and `failingSince`). Returns the new turn, or null when the turn was lost or is stale: stop sending.
   */
  advance(
    turn: WebhookTurn,
    change: { lastEventId: string; leaseUntil: Date; deliveredAt?: Date },
  ): Promise<WebhookTurn | null>;
  /** Ends the turn: saves the cursor and makes the endpoint due again. */
  release(turn: WebhookTurn, lastEventId: string): Promise<void>;
  /**
   * Ends the turn after a failed attempt: saves the cursor, counts the failure, backs off. Sets
   * `failingSince` to `failedAt` when it is not set yet.
   */
  recordFailure(
    turn: WebhookTurn,
    failure: { lastEventId: string; error: string; retryAt: Date; failedAt: Date },
  ): Promise<void>;
  /**
   * Ends the turn after a failed attempt by switching the endpoint off: saves the cursor, counts the
   * failure, sets `active` false with `disabledReason` and `disabledAt` (the audit entry's time), and
   * writes `audit` in the same transaction. False, with nothing written, when the turn no longer held its lease.
   */
  disable(
    turn: WebhookTurn,
    failure: { lastEventId: string; error: string; reason: string; audit: NewAuditEntry },
  ): Promise<boolean>;
}

/** Stripe's and GitHub's habit: an endpoint that fails for three days without a delivery is switched off. */
export const DEFAULT_WEBHOOK_DISABLE_AFTER_MS = 3 * 24 * 60 * 60_000;

/** Whether an endpoint that has failed since `failingSince` has failed for long enough to switch off. */
export function webhookFailedTooLong(failingSince: Date, now: Date, disableAfterMs: number): boolean {
  return now.getTime() - failingSince.getTime() >= disableAfterMs;
}

/** Why the dispatcher switched an endpoint off, for admins: how long it failed, and the last error. */
export function webhookDisabledReason(failingSince: Date, now: Date, lastError: string): string {
  return `no delivery for ${roughDuration(now.getTime() - failingSince.getTime())}; last error: ${lastError}`;
}

/** The audit entry of the dispatcher switching an endpoint off: a system entry (no actor). */
export function webhookDisabledAudit(
  endpointId: string,
  at: Date,
  details: { failingSince: Date; failures: number; lastEventId: string; lastError: string },
): NewAuditEntry {
  return {
    actorId: null,
    action: 'webhook.disabled',
    target: `webhook:${endpointId}`,
    at,
    meta: {
      failingSince: details.failingSince.toISOString(),
      failures: details.failures,
      lastEventId: details.lastEventId,
      lastError: details.lastError,
    },
  };
}

function roughDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60 * 60_000;

/**
 * How long an endpoint rests after its `failures`-th failure in a row: 5 s doubling up to 1 h, with
 * "equal jitter" (between half and all of it) so that endpoints that failed together, say behind one
 * proxy that went down, do not all come back in the same second.
 */
export function webhookRetryDelayMs(
  failures: number,
  options: { firstRetryMs?: number; maxRetryMs?: number; random?: () => number } = {},
): number {
  const first = options.firstRetryMs ?? FIRST_RETRY_MS;
  const max = options.maxRetryMs ?? MAX_RETRY_MS;
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const full = Math.min(first * 2 ** exponent, max);
  const random = options.random ?? Math.random;
  return Math.round(full / 2 + (random() * full) / 2);
}

/** Whether an endpoint wants events of this type (an empty list wants all). */
export function wantsEvent(endpoint: { events: readonly EventType[] }, type: EventType): boolean {
  return endpoint.events.length === 0 || endpoint.events.includes(type);
}
