import type { EventLog } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

type SseEvent = { id?: string; event?: string; data?: string };

/** Reads server-sent events from a streaming response until `enough` says stop. */
async function readEvents(response: Response, enough: (events: SseEvent[]) => boolean): Promise<SseEvent[]> {
  const reader = response.body?.getReader();
  if (!reader) throw new Error('no body');
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  while (!enough(events)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event: SseEvent = {};
      for (const line of block.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'id' || field === 'event' || field === 'data') event[field] = value;
      }
      if (event.event) events.push(event);
      end = buffer.indexOf('\n\n');
    }
  }
  await reader.cancel();
  return events;
}

describe.each(databaseKinds())('live events (SSE) on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h?.close());

  const open = (path = '/v1/events', headers: Record<string, string> = {}) =>
    h.request('GET', path, { headers }) as Promise<Response>;

  it('streams what happens next to any staff member, with ids and types, and no personal data', async () => {
    const response = await open();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reading = readEvents(response, (events) => events.some((e) => e.event === 'message.created'));
    const { ticketId } = await h.receive({
      externalUserId: 'sse1',
      externalThreadId: 'sse1',
      displayName: 'Rahasia Nama',
    });
    const events = await reading;
    expect(events[0]?.event).toBe('ready');
    const created = events.find((e) => e.event === 'ticket.created');
    expect(JSON.parse(created?.data ?? '{}')).toMatchObject({
      type: 'ticket.created',
      ticketId,
      payload: { ticket: { id: ticketId } },
    });
    expect(created?.id).toMatch(/^\d+$/);
    expect(events.map((e) => e.data).join()).not.toContain('Rahasia');
  });

  it('resumes after Last-Event-ID with everything it missed, in order', async () => {
    const latest = await h.repos.events.latestId();
    const first = await h.receive({ externalUserId: 'sse2', externalThreadId: 'sse2' });
    const second = await h.receive({ externalUserId: 'sse3', externalThreadId: 'sse3' });
    const response = await open('/v1/events?types=ticket.created', { 'last-event-id': latest });
    const events = await readEvents(
      response,
      (all) => all.filter((e) => e.event === 'ticket.created').length >= 2,
    );
    const tickets = events
      .filter((e) => e.event === 'ticket.created')
      .map((e) => JSON.parse(e.data ?? '{}').ticketId);
    expect(tickets).toEqual([first.ticketId, second.ticketId]);
    expect(events.some((e) => e.event === 'message.created')).toBe(false);
  });

  it('refuses a bad Last-Event-ID or type (400), and a request without a token (401)', async () => {
    expect((await open('/v1/events', { 'last-event-id': 'abc' })).status).toBe(400);
    const badType = await open('/v1/events?types=ticket.deleted');
    expect(badType.status).toBe(400);
    expect(
      ((await badType.json()) as { error: { issues: { message: string }[] } }).error.issues[0]?.message,
    ).toContain('ticket.deleted');
    expect((await h.request('GET', '/v1/events', { token: null })).status).toBe(401);
  });
});

describe.each(databaseKinds())('live events for many officers on %s', (kind) => {
  let h: Harness;
  let reads = 0;
  let inner: EventLog | undefined;
  // The app's event log, counting the reads: the harness's own repositories are made inside it.
  const counting: EventLog = {
    after(afterId, limit) {
      reads += 1;
      if (!inner) throw new Error('no event log yet');
      return inner.after(afterId, limit);
    },
    latestId: () => (inner ? inner.latestId() : Promise.resolve('0')),
  };
  beforeAll(async () => {
    h = await createHarness(kind, { events: counting });
    inner = h.repos.events;
  });
  afterAll(() => h?.close());

  it('reads the event log once per poll for all the open streams, and each stream gets every event', async () => {
    const streams = await Promise.all(
      Array.from({ length: 8 }, () => h.request('GET', '/v1/events') as Promise<Response>),
    );
    const readings = streams.map((response) =>
      readEvents(response, (events) => events.some((e) => e.event === 'ticket.created')),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000)); // every stream has caught up and joined
    reads = 0;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // Four polls in two seconds for the process; a poll per stream would have made 32 reads.
    expect(reads).toBeLessThanOrEqual(8);
    const { ticketId } = await h.receive({ externalUserId: 'many1', externalThreadId: 'many1' });
    for (const events of await Promise.all(readings)) {
      const created = events.find((e) => e.event === 'ticket.created');
      expect(JSON.parse(created?.data ?? '{}').ticketId).toBe(ticketId);
    }
  });
});
