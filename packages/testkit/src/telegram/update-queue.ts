import { ApiFailure } from './failures.ts';
import type { TgUpdate, TgUpdatePayload } from './types.ts';

type HeldPoll = {
  limit: number;
  timer: NodeJS.Timeout;
  answer(updates: TgUpdate[]): void;
  fail(failure: ApiFailure): void;
};

export type PollRequest = {
  offset?: number;
  limit?: number;
  timeoutSeconds?: number;
  /** Aborts when the client hangs up, so a held poll that nobody waits for is let go. */
  clientGone: AbortSignal;
};

/**
 * Telegram's update queue: updates stay until a getUpdates call with `offset` above their id confirms
 * them, and one long poll may be held open waiting for the next update.
 */
export class UpdateQueue {
  private pending: TgUpdate[] = [];
  private lastUpdateId: number;
  private held: HeldPoll | undefined;

  constructor(firstUpdateId: number) {
    this.lastUpdateId = firstUpdateId - 1;
  }

  get isPollHeld(): boolean {
    return this.held !== undefined;
  }

  snapshot(): TgUpdate[] {
    return [...this.pending];
  }

  push(payload: TgUpdatePayload): TgUpdate {
    this.lastUpdateId += 1;
    const update: TgUpdate = { update_id: this.lastUpdateId, ...payload };
    this.pending.push(update);
    this.wakeHeldPoll();
    return update;
  }

  dropAll(): void {
    this.pending = [];
  }

  /** Removes updates with ids below `offset`; a negative offset keeps only the last `-offset` updates. */
  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    if (offset < 0) {
      this.pending = this.pending.slice(offset);
      return;
    }
    this.pending = this.pending.filter((update) => update.update_id >= offset);
  }

  /** Confirms up to `offset`, then answers at once or holds the request until an update or the timeout. */
  poll(request: PollRequest): Promise<TgUpdate[]> {
    // Telegram lets the newest poller win and ends the one it replaces with a 409.
    this.terminateHeldPoll(
      'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    );
    this.confirm(request.offset);
    const limit = Math.min(Math.max(request.limit ?? 100, 1), 100);
    const timeoutSeconds = Math.max(request.timeoutSeconds ?? 0, 0);
    if (this.pending.length > 0 || timeoutSeconds === 0 || request.clientGone.aborted) {
      return Promise.resolve(this.pending.slice(0, limit));
    }
    return new Promise((resolve, reject) => {
      const held: HeldPoll = {
        limit,
        timer: setTimeout(() => this.release(held, []), timeoutSeconds * 1000),
        answer: resolve,
        fail: reject,
      };
      this.held = held;
      request.clientGone.addEventListener('abort', () => this.release(held, []), { once: true });
    });
  }

  terminateHeldPoll(description: string): void {
    const held = this.held;
    if (!held) return;
    this.forget(held);
    held.fail(new ApiFailure(409, description));
  }

  /** Answers a held poll with nothing, as Telegram does when its long-poll timeout passes. */
  releaseHeldPoll(): void {
    if (this.held) this.release(this.held, []);
  }

  private wakeHeldPoll(): void {
    const held = this.held;
    if (held) this.release(held, this.pending.slice(0, held.limit));
  }

  private release(held: HeldPoll, updates: TgUpdate[]): void {
    if (this.held !== held) return;
    this.forget(held);
    held.answer(updates);
  }

  private forget(held: HeldPoll): void {
    clearTimeout(held.timer);
    if (this.held === held) this.held = undefined;
  }
}
