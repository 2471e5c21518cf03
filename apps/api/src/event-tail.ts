// One reader of the event log per API process, shared by every open `GET /v1/events` stream. Each
// stream used to poll the log itself, twice a second: a province's officers with their inboxes open
// made hundreds of queries a second that all read the same rows. The tail reads once per poll and
// hands each stream what it has not sent yet. A stream first catches up on its own from its cursor
// (Last-Event-ID), then joins the tail once it is level with it.
import { type EventLog, type LoketEvent, publishableEvents } from '@loket/core';

export type EventTailOptions = {
  pollMs: number;
  /** How long an id gap may stay open (see core's publishableEvents). */
  graceMs: number;
  /** Events per read. */
  batch: number;
  /**
   * Events a stream may have waiting before it is dropped (a client that stopped reading). It then
   * reconnects with Last-Event-ID and catches up from the log, so nothing is lost.
   */
  maxBacklog: number;
};

export type TailSubscription = {
  /** The events after the ones taken before, waiting at most `timeoutMs`; null when dropped. */
  next(timeoutMs: number): Promise<LoketEvent[] | null>;
  close(): void;
};

type Subscriber = {
  cursor: bigint;
  waiting: LoketEvent[];
  dropped: boolean;
  wake: (() => void) | null;
};

export class EventTail {
  private cursor: bigint | null = null;
  private readonly subscribers = new Set<Subscriber>();
  private running = false;

  constructor(
    private readonly log: EventLog,
    private readonly options: EventTailOptions,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Joins a stream whose every event up to `after` is sent. Null when the tail is ahead of it: the
   * stream reads the log on its own once more, then joins again.
   */
  join(after: string): TailSubscription | null {
    const from = BigInt(after);
    if (this.cursor !== null && this.cursor > from) return null;
    if (this.cursor === null) this.cursor = from;
    const subscriber: Subscriber = { cursor: from, waiting: [], dropped: false, wake: null };
    this.subscribers.add(subscriber);
    if (!this.running) void this.run();
    return {
      next: (timeoutMs) => this.next(subscriber, timeoutMs),
      close: () => {
        this.subscribers.delete(subscriber);
        subscriber.wake?.();
      },
    };
  }

  private async next(subscriber: Subscriber, timeoutMs: number): Promise<LoketEvent[] | null> {
    if (!subscriber.waiting.length && !subscriber.dropped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        subscriber.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      subscriber.wake = null;
    }
    if (subscriber.dropped) return null;
    return subscriber.waiting.splice(0);
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.subscribers.size && this.cursor !== null) {
        let full = false;
        try {
          const after = this.cursor.toString();
          const stored = await this.log.after(after, this.options.batch);
          const ready = publishableEvents(stored, after, this.options.graceMs);
          this.hand(ready.events);
          this.cursor = BigInt(ready.cursor);
          full = stored.events.length === this.options.batch;
        } catch (error) {
          // The database is away: the streams stay open and the next poll tries again.
          this.onError(error);
        }
        if (!full) await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
      }
    } finally {
      this.running = false;
      // Nobody listens: the next stream starts the tail at its own cursor.
      if (!this.subscribers.size) this.cursor = null;
      else void this.run();
    }
  }

  private hand(events: LoketEvent[]): void {
    if (!events.length) return;
    for (const subscriber of this.subscribers) {
      const fresh = events.filter((event) => BigInt(event.id) > subscriber.cursor);
      if (!fresh.length) continue;
      subscriber.waiting.push(...fresh);
      subscriber.cursor = BigInt((fresh.at(-1) as LoketEvent).id);
      if (subscriber.waiting.length > this.options.maxBacklog) {
        subscriber.dropped = true;
        subscriber.waiting = [];
        this.subscribers.delete(subscriber);
      }
      subscriber.wake?.();
    }
  }
}
