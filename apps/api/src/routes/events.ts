import { createRoute, z } from '@hono/zod-openapi';
import { EVENT_TYPES, type EventLog, type EventType, isEventType, publishableEvents } from '@loket/core';
import { streamSSE } from 'hono/streaming';
import type { LoketApp } from '../app.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';

/** How often a connection looks for new events, and how long an id gap may stay open (see core). */
const POLL_MS = 500;
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
  app.openapi(streamEvents, async (c) => {
    const log: EventLog | undefined = deps.events;
    if (!log) throw new ApiError('CHANNEL_UNAVAILABLE', 'live events are not available on this server');
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
      stream.onAbort(() => {
        open = false;
      });
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ after: cursor }), retry: 3000 });
      let quietSince = Date.now();
      while (open) {
        const ready = publishableEvents(await log.after(cursor, 200), cursor, GAP_GRACE_MS);
        for (const event of ready.events) {
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
        cursor = ready.cursor;
        if (ready.events.length === 200) continue;
        if (Date.now() - quietSince >= KEEP_ALIVE_MS) {
          // A comment line: proxies and browsers keep the connection, clients ignore it.
          await stream.write(': keep-alive\n\n');
          quietSince = Date.now();
        }
        await stream.sleep(POLL_MS);
      }
    });
  });
}
