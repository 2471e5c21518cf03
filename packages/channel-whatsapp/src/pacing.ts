import type { PacingOptions } from './types.ts';

export const DEFAULT_PACING: PacingOptions = { perChatIntervalMs: 3000, globalPerMinute: 20 };

const WINDOW_MS = 60_000;

export type Sleeper = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export const sleepFor: Sleeper = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export type Pacer = {
  /**
   * Resolves when one more message may go to `chatId`, and counts it as sent. Messages to one chat
   * keep their order; a chat that must wait does not hold up the others beyond the global limit.
   * Rejects (and takes no slot) when `signal` aborts first.
   */
  acquire(chatId: string, signal?: AbortSignal): Promise<void>;
};

/**
 * Paces outbound messages the way a person would send them: at most one per `perChatIntervalMs` to
 * a chat, and at most `globalPerMinute` in any sliding minute. A linked device that bursts is what
 * WhatsApp bans, and an office replies to many citizens at once when the morning queue is worked.
 */
export function createPacer(
  options: PacingOptions,
  clock: { now: () => number; sleep: Sleeper } = { now: Date.now, sleep: sleepFor },
): Pacer {
  const lastSentAt = new Map<string, number>();
  const chatTails = new Map<string, Promise<void>>();
  /** Send times in the current window, oldest first. */
  const recent: number[] = [];
  let globalTail: Promise<void> = Promise.resolve();

  async function waitForChat(chatId: string, signal?: AbortSignal): Promise<void> {
    const last = lastSentAt.get(chatId);
    if (last === undefined) return;
    const wait = last + options.perChatIntervalMs - clock.now();
    if (wait > 0) await clock.sleep(wait, signal);
  }

  async function takeGlobalSlot(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = clock.now();
      while (recent.length > 0 && recent[0]! <= now - WINDOW_MS) recent.shift();
      if (recent.length < options.globalPerMinute) {
        recent.push(now);
        return;
      }
      await clock.sleep(recent[0]! + WINDOW_MS - now, signal);
    }
  }

  function forgetIdleChats(): void {
    // Keeps the map small in a long-running process; an entry past its interval no longer matters.
    if (lastSentAt.size < 1000) return;
    const cutoff = clock.now() - options.perChatIntervalMs;
    for (const [chatId, at] of lastSentAt) if (at <= cutoff) lastSentAt.delete(chatId);
  }

  return {
    acquire(chatId, signal) {
      const previous = chatTails.get(chatId) ?? Promise.resolve();
      const turn = previous.then(async () => {
        signal?.throwIfAborted();
        await waitForChat(chatId, signal);
        const slot = globalTail.then(() => takeGlobalSlot(signal));
        // The next sender waits for this slot whether it was taken or aborted.
        globalTail = slot.catch(() => {});
        await slot;
        lastSentAt.set(chatId, clock.now());
        forgetIdleChats();
      });
      const tail = turn.catch(() => {});
      chatTails.set(chatId, tail);
      void tail.then(() => {
        if (chatTails.get(chatId) === tail) chatTails.delete(chatId);
      });
      return turn;
    },
  };
}
