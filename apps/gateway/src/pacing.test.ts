import { ChannelError, type ChannelName, DEFAULT_PACING, type DeliveryTask } from '@loket/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createOutboundPacer,
  messagesIn,
  type OutboundPacer,
  pacedFactories,
  pauseAfterRateLimit,
} from './pacing.ts';
import type { ChannelFactories } from './supervisor.ts';

const LIMITS = { perSecond: 10, perChatIntervalMs: 1000, perGroupIntervalMs: 3000 };

/** Queues sends and records, in fake time, when each was granted (or that it was refused). */
function recorder(pacer: OutboundPacer, channel: ChannelName = 'telegram') {
  const granted: { chat: string; at: number; label: string }[] = [];
  const refused: string[] = [];
  const send = (chat: string, label = chat, options: { signal?: AbortSignal; cost?: number } = {}) =>
    pacer.acquire(channel, chat, options).then((ok) => {
      if (ok) granted.push({ chat, at: Date.now(), label });
      else refused.push(label);
    });
  return { granted, refused, send };
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < times.length; to += 1) {
    while ((times[to] as number) - (times[from] as number) >= windowMs) from += 1;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createOutboundPacer', () => {
  it('caps the overall rate across many chats', async () => {
    const { granted, send } = recorder(createOutboundPacer({ limits: { telegram: LIMITS } }));
    for (let i = 0; i < 50; i += 1) void send(`chat${i}`);
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted.length).toBeGreaterThanOrEqual(9);
    expect(granted.length).toBeLessThanOrEqual(10);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(granted).toHaveLength(50);
    expect(
      maxInAnyWindow(
        granted.map((g) => g.at),
        1000,
      ),
    ).toBeLessThanOrEqual(10);
  });

  it('holds each chat to its own interval, in order', async () => {
    const { granted, send } = recorder(createOutboundPacer({ limits: { telegram: LIMITS } }));
    for (let i = 0; i < 4; i += 1) void send('42', `m${i}`);
    await vi.advanceTimersByTimeAsync(5000);
    expect(granted.map((g) => g.label)).toEqual(['m0', 'm1', 'm2', 'm3']);
    const gaps = granted.slice(1).map((g, i) => g.at - (granted[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it('lets other chats go while one chat waits, oldest first', async () => {
    const { granted, send } = recorder(createOutboundPacer({ limits: { telegram: LIMITS } }));
    void send('a', 'a1');
    void send('a', 'a2');
    void send('b', 'b1');
    void send('c', 'c1');
    await vi.advanceTimersByTimeAsync(2000);
    expect(granted.map((g) => g.label)).toEqual(['a1', 'b1', 'c1', 'a2']);
  });

  it('keeps channels apart', async () => {
    const pacer = createOutboundPacer({ limits: { telegram: LIMITS, 'whatsapp-cloud': LIMITS } });
    const telegram = recorder(pacer, 'telegram');
    const cloud = recorder(pacer, 'whatsapp-cloud');
    void telegram.send('1');
    void cloud.send('1');
    await vi.advanceTimersByTimeAsync(0);
    expect(telegram.granted).toHaveLength(1);
    expect(cloud.granted).toHaveLength(1);
  });

  it('holds every pending send through a pause of the whole channel', async () => {
    const pacer = createOutboundPacer({ limits: { telegram: LIMITS } });
    const { granted, send } = recorder(pacer);
    void send('a');
    await vi.advanceTimersByTimeAsync(0);
    pacer.pause('telegram', 'all', 5000);
    const pausedAt = Date.now();
    for (const chat of ['b', 'c', 'd']) void send(chat);
    await vi.advanceTimersByTimeAsync(4999);
    expect(granted).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted.slice(1).every((g) => g.at >= pausedAt + 5000)).toBe(true);
    expect(granted).toHaveLength(4);
  });

  it('pauses one chat without holding the others', async () => {
    const pacer = createOutboundPacer({ limits: { telegram: LIMITS } });
    const { granted, send } = recorder(pacer);
    pacer.pause('telegram', { chat: 'a' }, 3000);
    void send('a');
    void send('b');
    await vi.advanceTimersByTimeAsync(500);
    expect(granted.map((g) => g.chat)).toEqual(['b']);
    await vi.advanceTimersByTimeAsync(3000);
    expect(granted.map((g) => g.chat)).toEqual(['b', 'a']);
  });

  it('pauses the channel for retry_after when the platform answers 429', () => {
    const pacer = createOutboundPacer();
    const pause = vi.spyOn(pacer, 'pause');
    pauseAfterRateLimit(
      pacer,
      'telegram',
      new ChannelError('telegram', '429', { retryable: true, retryAfter: 7 }),
    );
    pauseAfterRateLimit(pacer, 'telegram', new ChannelError('telegram', '502', { retryable: true }));
    pauseAfterRateLimit(pacer, 'telegram', new Error('socket hang up'));
    expect(pause.mock.calls).toEqual([['telegram', 'all', 7000]]);
  });

  it('refuses a send whose signal aborts, and gives its slot to the next', async () => {
    const { granted, refused, send } = recorder(createOutboundPacer({ limits: { telegram: LIMITS } }));
    void send('a', 'first');
    const abort = new AbortController();
    void send('b', 'aborted', { signal: abort.signal });
    void send('c', 'next');
    await vi.advanceTimersByTimeAsync(0);
    abort.abort();
    await vi.advanceTimersByTimeAsync(500);
    expect(refused).toEqual(['aborted']);
    expect(granted.map((g) => g.label)).toEqual(['first', 'next']);
    expect(granted[1]?.at).toBeLessThan((granted[0]?.at ?? 0) + 2 * (1000 / LIMITS.perSecond));
    const late = new AbortController();
    late.abort();
    await send('d', 'already aborted', { signal: late.signal });
    expect(refused).toEqual(['aborted', 'already aborted']);
  });

  it('applies a new config to the sends already waiting, without a restart', async () => {
    const pacer = createOutboundPacer();
    pacer.configure('telegram', { outbound: { perSecond: 1 } });
    const { granted, send } = recorder(pacer);
    for (let i = 0; i < 40; i += 1) void send(`chat${i}`);
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted.length).toBeLessThanOrEqual(2);
    pacer.configure('telegram', { outbound: { perSecond: 30 } });
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted.length).toBeGreaterThanOrEqual(30);
    expect(pacer.limitsOf('telegram')).toEqual({ ...DEFAULT_PACING.telegram, perSecond: 30 });
  });

  it('books a multi-part reply as that many slots', async () => {
    const { granted, send } = recorder(createOutboundPacer({ limits: { telegram: LIMITS } }));
    void send('a', 'long', { cost: 5 });
    void send('b', 'after');
    await vi.advanceTimersByTimeAsync(1000);
    expect((granted[1]?.at ?? 0) - (granted[0]?.at ?? 0)).toBeGreaterThanOrEqual(500);
  });
});

describe('pacedFactories', () => {
  it('hands each adapter build config to the pacer', () => {
    const pacer = createOutboundPacer();
    const built: unknown[] = [];
    const factories: ChannelFactories = {
      telegram: (config) => {
        built.push(config);
        return {} as ReturnType<NonNullable<ChannelFactories['telegram']>>;
      },
    };
    pacedFactories(factories, pacer).telegram?.({ outbound: { perSecond: 200, perChatIntervalMs: 500 } });
    expect(built).toHaveLength(1);
    expect(pacer.limitsOf('telegram')).toMatchObject({ perSecond: 200, perChatIntervalMs: 500 });
  });
});

describe('messagesIn', () => {
  const task = (channel: ChannelName, text: string) =>
    ({ channel, text }) as Pick<DeliveryTask, 'channel' | 'text'>;
  it('counts the pieces a long text is split into, and each document', () => {
    expect(messagesIn(task('telegram', 'halo'), 0)).toBe(1);
    expect(messagesIn(task('telegram', 'a '.repeat(5000)), 0)).toBe(3);
    expect(messagesIn(task('telegram', ''), 2)).toBe(2);
    expect(messagesIn(task('instagram-graph', 'é'.repeat(600)), 1)).toBe(3);
  });
});
