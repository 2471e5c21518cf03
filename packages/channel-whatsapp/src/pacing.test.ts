import { describe, expect, it } from 'vitest';
import { createPacer, type Sleeper } from './pacing.ts';

/** A clock that moves only when every pending promise has settled and someone is asleep. */
function virtualClock() {
  let now = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const sleep: Sleeper = (ms, signal) =>
    new Promise((resolve, reject) => {
      const sleeper = { at: now + ms, wake: resolve };
      sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        sleepers.splice(sleepers.indexOf(sleeper), 1);
        reject(signal.reason);
      });
    });
  const settle = async () => {
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    now: () => now,
    sleep,
    /** Runs until nobody sleeps any more. */
    async run(): Promise<void> {
      await settle();
      while (sleepers.length > 0) {
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift()!;
        now = Math.max(now, next.at);
        next.wake();
        await settle();
      }
    },
  };
}

async function sendTimes(
  chats: string[],
  options = { perChatIntervalMs: 3000, globalPerMinute: 20 },
): Promise<number[]> {
  const clock = virtualClock();
  const pacer = createPacer(options, clock);
  const times: number[] = [];
  const sends = chats.map((chat, index) =>
    pacer.acquire(chat).then(() => {
      times[index] = clock.now();
    }),
  );
  await clock.run();
  await Promise.all(sends);
  return times;
}

describe('createPacer', () => {
  it('spaces messages to one chat by the per-chat interval, in order', async () => {
    expect(await sendTimes(['a', 'a', 'a'])).toEqual([0, 3000, 6000]);
  });

  it('does not make one chat wait for another chat’s interval', async () => {
    expect(await sendTimes(['a', 'b', 'a', 'c'])).toEqual([0, 0, 3000, 0]);
  });

  it('holds the global rate to N per sliding minute', async () => {
    const times = await sendTimes(['a', 'b', 'c', 'd', 'e'], { perChatIntervalMs: 3000, globalPerMinute: 3 });
    expect(times).toEqual([0, 0, 0, 60_000, 60_000]);
  });

  it('gives a free global slot to a chat that is ready, not to one still in its interval', async () => {
    const times = await sendTimes(['a', 'a', 'b'], { perChatIntervalMs: 5000, globalPerMinute: 2 });
    expect(times).toEqual([0, 60_000, 0]);
  });

  it('rejects an aborted wait without using up a slot', async () => {
    const clock = virtualClock();
    const pacer = createPacer({ perChatIntervalMs: 3000, globalPerMinute: 20 }, clock);
    await pacer.acquire('a');
    const controller = new AbortController();
    const aborted = pacer.acquire('a', controller.signal);
    const next = pacer.acquire('a');
    controller.abort(new Error('stopped'));
    await expect(aborted).rejects.toThrow('stopped');
    await clock.run();
    await next;
    expect(clock.now()).toBe(3000);
  });
});
