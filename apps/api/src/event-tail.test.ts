import type { EventLog, LoketEvent } from '@loket/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EventTail, type TailSubscription } from './event-tail.ts';

/** An event log in memory, every event old enough that no gap is waited for. */
function memoryLog() {
  const events: LoketEvent[] = [];
  const log: EventLog & { reads: number } = {
    reads: 0,
    async after(afterId, limit) {
      log.reads += 1;
      return {
        events: events.filter((event) => BigInt(event.id) > BigInt(afterId)).slice(0, limit),
        readAt: new Date(),
      };
    },
    async latestId() {
      return events.at(-1)?.id ?? '0';
    },
  };
  const add = (count: number) => {
    for (let index = 0; index < count; index += 1)
      events.push({
        id: String(events.length + 1),
        type: 'ticket.created',
        ticketId: `t${events.length + 1}`,
        payload: {},
        at: new Date(Date.now() - 60_000),
      });
  };
  return { log, add };
}

const OPTIONS = { pollMs: 20, graceMs: 5000, batch: 50, maxBacklog: 100 };
const ids = (events: LoketEvent[] | null | undefined) => events?.map((event) => Number(event.id)) ?? null;

describe('EventTail', () => {
  const subscriptions: TailSubscription[] = [];
  afterEach(() => {
    for (const subscription of subscriptions.splice(0)) subscription.close();
  });
  const join = (tail: EventTail, after: string) => {
    const subscription = tail.join(after);
    if (subscription) subscriptions.push(subscription);
    return subscription;
  };

  it('reads the log once per poll for all its streams, and hands each what it has not had', async () => {
    const { log, add } = memoryLog();
    add(3);
    const tail = new EventTail(log, OPTIONS);
    const first = join(tail, '3');
    const second = join(tail, '4'); // ahead of the tail: event 4 was sent by its own catch-up
    add(3);
    expect(ids(await first?.next(1000))).toEqual([4, 5, 6]);
    expect(ids(await second?.next(1000))).toEqual([5, 6]);
    const readsBefore = log.reads;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // About ten polls in 200 ms, whatever the number of streams.
    expect(log.reads - readsBefore).toBeLessThan(15);
    expect(ids(await first?.next(10))).toEqual([]);
  });

  it('sends a stream that is behind back to the log until it is level', async () => {
    const { log, add } = memoryLog();
    add(5);
    const tail = new EventTail(log, OPTIONS);
    join(tail, '5');
    expect(tail.join('2')).toBeNull();
    expect(join(tail, '5')).not.toBeNull();
  });

  it('drops a stream that stopped reading once its backlog is full, and keeps serving the others', async () => {
    const { log, add } = memoryLog();
    const tail = new EventTail(log, OPTIONS);
    const stalled = join(tail, '0');
    const reading = join(tail, '0');
    let received = 0;
    for (let round = 0; round < 3; round += 1) {
      add(50);
      while (received < (round + 1) * 50) received += (await reading?.next(1000))?.length ?? 0;
    }
    expect(received).toBe(150);
    expect(await stalled?.next(10)).toBeNull();
  });

  it('stops reading when its last stream leaves, and starts again at the next one', async () => {
    const { log, add } = memoryLog();
    const tail = new EventTail(log, OPTIONS);
    join(tail, '0')?.close();
    await new Promise((resolve) => setTimeout(resolve, 60));
    const reads = log.reads;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.reads).toBe(reads);
    add(2);
    expect(ids(await join(tail, '1')?.next(1000))).toEqual([2]);
  });

  it('keeps its streams open through a failing read, and reports it', async () => {
    const { log, add } = memoryLog();
    const errors: unknown[] = [];
    let failing = true;
    const flaky: EventLog = {
      after: (afterId, limit) =>
        failing ? Promise.reject(new Error('database away')) : log.after(afterId, limit),
      latestId: () => log.latestId(),
    };
    const tail = new EventTail(flaky, OPTIONS, (error) => errors.push(error));
    const stream = join(tail, '0');
    add(1);
    expect(await stream?.next(60)).toEqual([]);
    failing = false;
    expect(ids(await stream?.next(1000))).toEqual([1]);
    expect(errors.length).toBeGreaterThan(0);
  });
});
