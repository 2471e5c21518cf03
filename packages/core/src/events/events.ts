/**
 * What happened in the inbox, in order: the feed of `GET /v1/events` (Server-Sent Events) and of
 * outgoing webhooks. Payloads carry ids and states, never message text or a citizen's name: a
 * consumer that needs them asks the API, where every read of a conversation is audited.
 */
export const EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'message.created',
  'message.status',
  'sla.warning',
  'sla.breached',
  'complaint.created',
  'complaint.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

export type LoketEvent = {
  /** Increasing; a decimal string (the database counts in 64 bits). */
  id: string;
  type: EventType;
  ticketId: string | null;
  payload: Record<string, unknown>;
  at: Date;
};

/** A stored event and the database's clock when it was read, to judge gaps in the ids. */
export type StoredEvents = { events: LoketEvent[]; readAt: Date };

export interface EventLog {
  /** Events with an id above `afterId`, oldest first, at most `limit`. */
  after(afterId: string, limit: number): Promise<StoredEvents>;
  /** The newest event's id, or "0". */
  latestId(): Promise<string>;
}

/**
 * The events that can be handed on now, and the cursor after them. Ids come from a sequence taken
 * when a transaction writes its event, so a transaction that started earlier can commit later: a gap
 * in the ids may still fill. Events stop at a gap until the event after it is `graceMs` old; by then
 * the missing id belongs to a transaction that rolled back (or one so slow it is given up on).
 */
export function publishableEvents(
  stored: StoredEvents,
  afterId: string,
  graceMs: number,
): { events: LoketEvent[]; cursor: string } {
  let cursor = BigInt(afterId);
  const events: LoketEvent[] = [];
  for (const event of stored.events) {
    const id = BigInt(event.id);
    if (id <= cursor) continue;
    const settled = stored.readAt.getTime() - event.at.getTime() >= graceMs;
    if (id !== cursor + 1n && !settled) break;
    events.push(event);
    cursor = id;
  }
  return { events, cursor: cursor.toString() };
}
