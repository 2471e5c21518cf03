import {
  type Clock,
  DEFAULT_WEBHOOK_DISABLE_AFTER_MS,
  type EventLog,
  type Logger,
  type LoketEvent,
  publishableEvents,
  type WebhookEndpointStore,
  type WebhookTurn,
  wantsEvent,
  webhookDisabledAudit,
  webhookDisabledReason,
  webhookFailedTooLong,
  webhookRetryDelayMs,
} from '@loket/core';
import { webhookSignature } from './webhook-signature.ts';

export type WebhookDispatcher = {
  /** Looks for due endpoints now instead of at the next poll. */
  wake(): void;
  stop(): Promise<void>;
};

export type WebhookDispatcherDeps = {
  events: EventLog;
  endpoints: WebhookEndpointStore;
  clock: Clock;
  logger: Logger;
  /** Injectable for tests; the global fetch by default. */
  fetch?: typeof fetch;
  /** How often due endpoints are looked for. Default 1 s. */
  pollIntervalMs?: number;
  /** How long a gap in the event ids may still fill (see `publishableEvents`). Default 5 s. */
  gapGraceMs?: number;
  /** An attempt with no answer by then has failed. Default 10 s. */
  timeoutMs?: number;
  /** How long a claimed turn is ours before another gateway may take it. Default 3 × the timeout. */
  leaseMs?: number;
  /** The backoff's first step and cap. Default 5 s and 1 h. */
  firstRetryMs?: number;
  maxRetryMs?: number;
  /** Events read per page. Default 100. */
  batchSize?: number;
  /** An endpoint that has failed for this long without a delivery is switched off. Default 3 days. */
  disableAfterMs?: number;
};

type Attempt = { ok: true } | { ok: false; error: string };

/**
 * Delivers the event log to every active webhook endpoint that wants it, in order, at least once.
 * Each endpoint is worked on its own (one turn at a time per endpoint, never awaited by the poll),
 * so a dead or slow receiver holds up only itself: a failure backs that endpoint off and retries the
 * same event later; everything else goes on. One that fails for `disableAfterMs` without a delivery is
 * switched off, with the reason and an audit entry. Turns are claimed with a lease in the database, so
 * several gateways can run this at once without sending one event twice at the same time.
 */
export function startWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const logger = deps.logger.child({ component: 'webhooks' });
  const send = deps.fetch ?? fetch;
  const pollIntervalMs = deps.pollIntervalMs ?? 1000;
  const gapGraceMs = deps.gapGraceMs ?? 5000;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const leaseMs = deps.leaseMs ?? timeoutMs * 3;
  const batchSize = deps.batchSize ?? 100;
  const disableAfterMs = deps.disableAfterMs ?? DEFAULT_WEBHOOK_DISABLE_AFTER_MS;
  const stopping = new AbortController();
  const turns = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();

  const leaseFromNow = () => new Date(deps.clock.now().getTime() + leaseMs);

  /** Starts a turn for every due endpoint this process is not already working on. */
  async function poll(): Promise<void> {
    const latest = await deps.events.latestId();
    if (latest === '0') return;
    for (const id of await deps.endpoints.listDue(deps.clock.now(), latest)) {
      if (stopping.signal.aborted) return;
      if (turns.has(id)) continue;
      const turn = workEndpoint(id)
        .catch((error: unknown) => logger.error({ err: error, endpoint: id }, 'webhook turn failed'))
        .finally(() => turns.delete(id));
      turns.set(id, turn);
    }
  }

  /** One turn: claim the endpoint, send what is due in order, and give the turn back. */
  async function workEndpoint(id: string): Promise<void> {
    let turn = await deps.endpoints.claim(id, deps.clock.now(), leaseFromNow());
    if (!turn) return;
    let cursor = turn.lastEventId;
    for (;;) {
      const stored = await deps.events.after(cursor, batchSize);
      const ready = publishableEvents(stored, cursor, gapGraceMs).events;
      for (const event of ready) {
        if (stopping.signal.aborted) return deps.endpoints.release(turn, cursor);
        if (!wantsEvent(turn, event.type)) {
          cursor = event.id;
          continue;
        }
        const attempt = await deliver(turn, event);
        if (!attempt.ok) {
          // Stopping cut the request short: not the receiver's fault, and another gateway may go on.
          if (stopping.signal.aborted) return deps.endpoints.release(turn, cursor);
          return backOff(turn, cursor, event, attempt.error);
        }
        const next = await deps.endpoints.advance(turn, {
          lastEventId: event.id,
          leaseUntil: leaseFromNow(),
          deliveredAt: deps.clock.now(),
        });
        // The turn was lost or is stale (switched off, new URL or secret, deleted): stop sending.
        if (!next) return;
        turn = next;
        cursor = event.id;
      }
      // A short page means we are at the head of the log (or at a gap that may still fill).
      if (stored.events.length < batchSize || ready.length < stored.events.length) break;
      const next = await deps.endpoints.advance(turn, { lastEventId: cursor, leaseUntil: leaseFromNow() });
      if (!next) return;
      turn = next;
    }
    await deps.endpoints.release(turn, cursor);
  }

  async function backOff(turn: WebhookTurn, cursor: string, event: LoketEvent, error: string): Promise<void> {
    const now = deps.clock.now();
    const failures = turn.failures + 1;
    const failingSince = turn.failingSince ?? now;
    if (webhookFailedTooLong(failingSince, now, disableAfterMs)) {
      return switchOff(turn, cursor, event, error, failingSince);
    }
    const delayMs = webhookRetryDelayMs(failures, {
      firstRetryMs: deps.firstRetryMs,
      maxRetryMs: deps.maxRetryMs,
    });
    const retryAt = new Date(now.getTime() + delayMs);
    logger.warn(
      { endpoint: turn.id, event: event.id, type: event.type, failures, retryAt, reason: error },
      'webhook delivery failed; will retry',
    );
    await deps.endpoints.recordFailure(turn, { lastEventId: cursor, error, retryAt, failedAt: now });
  }

  /** Ends the turn by switching the endpoint off; of several gateways, the one holding the lease does. */
  async function switchOff(
    turn: WebhookTurn,
    cursor: string,
    event: LoketEvent,
    error: string,
    failingSince: Date,
  ): Promise<void> {
    const now = deps.clock.now();
    const failures = turn.failures + 1;
    const disabled = await deps.endpoints.disable(turn, {
      lastEventId: cursor,
      error,
      reason: webhookDisabledReason(failingSince, now, error),
      audit: webhookDisabledAudit(turn.id, now, {
        failingSince,
        failures,
        lastEventId: cursor,
        lastError: error,
      }),
    });
    if (!disabled) return;
    logger.warn(
      { endpoint: turn.id, event: event.id, failures, failingSince, reason: error },
      'webhook endpoint switched off: it failed for too long; an admin can switch it back on',
    );
  }

  async function deliver(turn: WebhookTurn, event: LoketEvent): Promise<Attempt> {
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      at: event.at.toISOString(),
      ticketId: event.ticketId,
      payload: event.payload,
    });
    const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
    try {
      const response = await send(turn.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Loket-Webhooks/1',
          'X-Loket-Event': event.type,
          'X-Loket-Delivery': event.id,
          'X-Loket-Signature': webhookSignature(turn.secret, body, timestamp),
        },
        body,
        // A redirect would carry the signed event to an address nobody registered.
        redirect: 'manual',
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
      });
      // Only the status matters; drop the body so the connection is freed.
      await response.body?.cancel().catch(() => {});
      if (response.status >= 200 && response.status < 300) return { ok: true };
      return { ok: false, error: describeStatus(response) };
    } catch (error) {
      return { ok: false, error: describeNetworkError(error, timeoutMs) };
    }
  }

  function schedule(): void {
    if (stopping.signal.aborted) return;
    timer = setTimeout(runPoll, pollIntervalMs);
  }

  function runPoll(): void {
    timer = undefined;
    polling = poll()
      .catch((error: unknown) =>
        logger.error({ err: error }, 'webhook poll failed; retrying at the next tick'),
      )
      .finally(schedule);
  }

  runPoll();

  return {
    wake() {
      if (!timer || stopping.signal.aborted) return;
      clearTimeout(timer);
      runPoll();
    },
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer);
      await polling;
      await Promise.all(turns.values());
    },
  };
}

/** The status and a short reason; never a body (ours, or theirs, which may echo ours). */
function describeStatus(response: Response): string {
  const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return response.status >= 300 && response.status < 400 ? `${status} (redirects are not followed)` : status;
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return `network error: ${cause.code}`;
  if (typeof cause?.message === 'string') return `network error: ${cause.message.slice(0, 120)}`;
  return `network error: ${error instanceof Error ? error.message.slice(0, 120) : String(error).slice(0, 120)}`;
}
