import { createRoute, z } from '@hono/zod-openapi';
import {
  EVENT_TYPES,
  type EventLog,
  type EventType,
  isEventType,
  type LoketEvent,
  publishableEvents,
} from '@loket/core';
import { streamSSE } from 'hono/streaming';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';
import { EventTail, type TailSubscription } from '../event-tail.ts';

/** How often the process's tail reads new events, and how long an id gap may stay open (see core). */
const POLL_MS = 500;
const BATCH = 200;
/** Events a stream may have waiting (a client that stopped reading) before it is closed. */
const MAX_BACKLOG = 5000;
const GAP_GRACE_MS = 5000;
const KEEP_ALIVE_MS = 15_000;
/** Event ids are PostgreSQL bigints: a larger number would fail in the database, inside the stream. */
const isEventId = (value: string) => /^\d{1,19}$/.test(value) && BigInt(value) <= 9_223_372_036_854_775_807n;

const eventsQuery = z.object({
  types: z
    .string()
    .max(500)
    .optional()
    .openapi({
      description: `Comma-separated event types to receive (default: all): ${EVENT_TYPES.join(', ')}`,
    }),
  lastEventId: z
    .string()
    .regex(/^\d{1,19}$/)
    .refine(isEventId, 'not an event id')
    .optional()
    .openapi({ description: 'Resume after this event (the `Last-Event-ID` header wins when both are sent)' }),
});

const streamEvents = createRoute({
  method: 'get',
  path: '/v1/events',
  tags: ['events'],
  summary: 'Live events (Server-Sent Events), resumable with Last-Event-ID',
  description:
    'Each event is `id`, `event` (its type) and `data` (JSON: id, type, at, ticketId, payload). ' +
    'Payloads carry ids and states, never message text or names. Without Last-Event-ID the stream ' +
    'starts with the next event; with it, every event after that one is sent first.',
  request: { query: eventsQuery },
  responses: {
    200: { description: 'An endless event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...errorResponses(400, 401),
  },
});

function parseTypes(raw: string | undefined): Set<EventType> | null {
  if (!raw) return null;
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !isEventType(name));
  if (unknown.length) {
    throw new ApiError('VALIDATION_FAILED', 'unknown event types', {
      issues: unknown.map((name) => ({ path: 'types', message: `not an event type: ${name.slice(0, 50)}` })),
    });
  }
  return new Set(names as EventType[]);
}

export function registerEventRoutes(app: LoketApp, deps: ApiDeps): void {
  const log: EventLog | undefined = deps.events;
  const tail = log
    ? new EventTail(
        log,
        { pollMs: POLL_MS, graceMs: GAP_GRACE_MS, batch: BATCH, maxBacklog: MAX_BACKLOG },
        (error) => deps.logger.warn({ err: error }, 'live events: reading the event log failed; retrying'),
      )
    : null;

  app.openapi(streamEvents, async (c) => {
    if (!log || !tail)
      throw new ApiError('CHANNEL_UNAVAILABLE', 'live events are not available on this server');
    const query = c.req.valid('query');
    const types = parseTypes(query.types);
    const header = c.req.header('last-event-id')?.trim();
    if (header !== undefined && !isEventId(header)) {
      throw new ApiError('VALIDATION_FAILED', 'Last-Event-ID must be an event id', {
        issues: [{ path: 'Last-Event-ID', message: 'digits only' }],
      });
    }
    let cursor = header ?? query.lastEventId ?? (await log.latestId());

    return streamSSE(c, async (stream) => {
      let open = true;
      let subscription: TailSubscription | null = null;
      stream.onAbort(() => {
        open = false;
        subscription?.close();
      });
      let quietSince = Date.now();
      const send = async (events: LoketEvent[]) => {
        for (const event of events) {
          cursor = event.id;
          if (types && !types.has(event.type)) continue;
          await stream.writeSSE({
            id: event.id,
            event: event.type,
            data: JSON.stringify({
              id: event.id,
              type: event.type,
              at: event.at.toISOString(),
              ticketId: event.ticketId,
              payload: event.payload,
            }),
          });
          quietSince = Date.now();
        }
      };
      const keepAlive = async () => {
        if (Date.now() - quietSince < KEEP_ALIVE_MS) return;
        // A comment line: proxies and browsers keep the connection, clients ignore it.
        await stream.write(': keep-alive\n\n');
        quietSince = Date.now();
      };
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ after: cursor }), retry: 3000 });

      // Behind the tail (a resume from Last-Event-ID): catch up from the log alone, then join it.
      while (open && !subscription) {
        const ready = publishableEvents(await log.after(cursor, BATCH), cursor, GAP_GRACE_MS);
        await send(ready.events);
        cursor = ready.cursor;
        if (ready.events.length === BATCH) continue;
        subscription = tail.join(cursor);
        if (!subscription) {
          await keepAlive();
          await stream.sleep(POLL_MS);
        }
      }
      try {
        while (open && subscription) {
          const events = await subscription.next(KEEP_ALIVE_MS);
          // Dropped for falling too far behind: the client reconnects with Last-Event-ID.
          if (!events) break;
          await send(events);
          await keepAlive();
        }
      } finally {
        subscription?.close();
      }
    });
  });
}
