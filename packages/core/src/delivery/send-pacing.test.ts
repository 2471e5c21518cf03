import { describe, expect, it } from 'vitest';
import { CHANNEL_CONFIG_SCHEMAS } from '../channel/channel-config.ts';
import {
  DEFAULT_PACING,
  isGroupThread,
  JITTER_GUARD_MS,
  pacingLimitsOf,
  SendSchedule,
} from './send-pacing.ts';

const TELEGRAM = DEFAULT_PACING.telegram;
/** Every interval is stretched by the jitter guard. */
const STRETCH = (1000 + JITTER_GUARD_MS) / 1000;

/**
 * Sends to distinct chats, granted the way the gateway's pump grants them: every ready one at once,
 * then a timer to the next ready time that fires `lateMs` late. Returns the grant times.
 */
function simulate(schedule: SendSchedule, count: number, start = 0, lateMs = 0): number[] {
  const times: number[] = [];
  let now = start;
  while (times.length < count) {
    const chat = `c${start}-${times.length}`;
    const next = schedule.next([{ chat }], now);
    if (next && 'grant' in next) {
      schedule.take(chat, now);
      times.push(now);
    } else if (next) now = next.wakeAt + lateMs;
  }
  return times;
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

describe('channel limits', () => {
  it('follows the platforms: Telegram 30/s and 1/s a chat, WhatsApp Cloud 80/s', () => {
    expect(TELEGRAM).toEqual({ perSecond: 30, perChatIntervalMs: 1000, perGroupIntervalMs: 3000 });
    expect(DEFAULT_PACING['whatsapp-cloud'].perSecond).toBe(80);
    expect(DEFAULT_PACING.instagram.perSecond).toBeLessThan(1);
  });

  it('takes the admin outbound settings over the defaults, and ignores an unreadable one', () => {
    expect(pacingLimitsOf('telegram', { outbound: { perSecond: 200 } })).toEqual({
      ...TELEGRAM,
      perSecond: 200,
    });
    expect(pacingLimitsOf('telegram', { outbound: { perSecond: -1 } })).toEqual(TELEGRAM);
    expect(pacingLimitsOf('telegram', undefined)).toEqual(TELEGRAM);
  });

  it('validates outbound settings in every channel config: positive and bounded', () => {
    for (const schema of Object.values(CHANNEL_CONFIG_SCHEMAS)) {
      expect(schema.safeParse({ outbound: { perSecond: 30, perChatIntervalMs: 1000 } }).success).toBe(true);
      expect(schema.safeParse({ outbound: { perSecond: 0 } }).success).toBe(false);
      expect(schema.safeParse({ outbound: { perSecond: 5000 } }).success).toBe(false);
      expect(schema.safeParse({ outbound: { perChatIntervalMs: 0 } }).success).toBe(false);
      expect(schema.safeParse({ outbound: { perChatIntervalMs: 1.5 } }).success).toBe(false);
      expect(schema.safeParse({ outbound: { burst: 3 } }).success).toBe(false);
    }
  });

  it('knows group threads by their id', () => {
    expect(isGroupThread('telegram', '-1001234')).toBe(true);
    expect(isGroupThread('telegram', '1234')).toBe(false);
    expect(isGroupThread('whatsapp', '1203630@g.us')).toBe(true);
    expect(isGroupThread('whatsapp-cloud', '-1')).toBe(false);
  });
});

describe('SendSchedule', () => {
  it('spaces sends just under the overall rate', () => {
    const times = simulate(new SendSchedule(TELEGRAM), 61);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000 / 30 - 1);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(30);
    // 60 gaps at 30/s less the margin: about two seconds.
    expect((times[60] as number) - (times[0] as number)).toBeCloseTo((60_000 / 30) * STRETCH, -2);
  });

  it('catches up a late timer without ever passing the limit in a one-second window', () => {
    // Timers that fire 7 ms late every time: spacing from the real grant time would give 83/s of 200.
    const schedule = new SendSchedule({ ...TELEGRAM, perSecond: 200 });
    const times = simulate(schedule, 1000, 0, 7);
    const rate = ((times.length - 1) * 1000) / ((times.at(-1) as number) - (times[0] as number));
    expect(rate).toBeGreaterThan(0.95 * 200);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(200);
  });

  it('leaves room for the jitter between a slot and the platform, however late the timers', () => {
    for (const [perSecond, lateMs] of [
      [30, 40],
      [200, 7],
      [200, 45],
      [3, 300],
    ] as const) {
      const times = simulate(new SendSchedule({ ...TELEGRAM, perSecond }), perSecond * 6, 0, lateMs);
      expect(maxInAnyWindow(times, 1000 + JITTER_GUARD_MS)).toBeLessThanOrEqual(perSecond);
      // Each send reaches the platform 0 to JITTER_GUARD_MS later (a fixed pseudo-random spread).
      const arrivals = times.map((at, i) => at + ((i * 7919) % (JITTER_GUARD_MS + 1))).sort((a, b) => a - b);
      expect(maxInAnyWindow(arrivals, 1000)).toBeLessThanOrEqual(perSecond);
    }
  });

  it('never puts more than the limit in any one-second window, even after idle spells', () => {
    const schedule = new SendSchedule({ ...TELEGRAM, perSecond: 50 });
    const times = [...simulate(schedule, 80, 0, 3), ...simulate(schedule, 80, 10_000, 15)];
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(50);
  });

  it('holds one chat to its interval, and groups to theirs', () => {
    const schedule = new SendSchedule(TELEGRAM, (chat) => chat.startsWith('-'));
    schedule.take('42', 0);
    schedule.take('-7', 0);
    expect(schedule.chatReadyAt('42')).toBeCloseTo(1000 * STRETCH);
    expect(schedule.chatReadyAt('-7')).toBeCloseTo(3000 * STRETCH);
    expect(schedule.chatReadyAt('43')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('books a multi-part send as that many slots', () => {
    const schedule = new SendSchedule(TELEGRAM);
    schedule.take('42', 0, 3);
    expect(schedule.channelReadyAt()).toBeCloseTo(((3 * 1000) / 30) * STRETCH);
    expect(schedule.chatReadyAt('42')).toBeCloseTo(3000 * STRETCH);
  });

  it('grants the oldest waiting send whose chat is free, and says when to look again', () => {
    const schedule = new SendSchedule(TELEGRAM);
    schedule.take('a', 0);
    const later = 100;
    expect(schedule.next([{ chat: 'a' }, { chat: 'b' }, { chat: 'c' }], later)).toEqual({ grant: 1 });
    expect(schedule.next([{ chat: 'a' }], later)).toEqual({ wakeAt: schedule.chatReadyAt('a') });
    expect(schedule.next([], later)).toBeNull();
  });

  it('pauses the whole channel or one chat', () => {
    const schedule = new SendSchedule(TELEGRAM);
    schedule.pause({ chat: 'a' }, 5000);
    expect(schedule.next([{ chat: 'a' }, { chat: 'b' }], 0)).toEqual({ grant: 1 });
    schedule.pause('all', 7000);
    expect(schedule.next([{ chat: 'b' }], 0)).toEqual({ wakeAt: 7000 });
  });

  it('applies new limits to what is already booked', () => {
    const schedule = new SendSchedule({ ...TELEGRAM, perSecond: 1 / 60 });
    schedule.take('a', 0);
    expect(schedule.channelReadyAt()).toBeGreaterThan(60_000);
    schedule.setLimits(TELEGRAM);
    expect(schedule.channelReadyAt()).toBeLessThan(40);
  });

  it('forgets chats that no longer hold anyone back', () => {
    const schedule = new SendSchedule({ ...TELEGRAM, perSecond: 1000 });
    for (let i = 0; i <= 1000; i += 1) schedule.take(`c${i}`, i * 2);
    expect(schedule.rememberedChats).toBeLessThan(600);
  });
});
