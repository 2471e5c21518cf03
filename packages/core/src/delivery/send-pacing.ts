import { z } from 'zod';
import type { ChannelName } from '../channel/types.ts';

/**
 * How fast one channel may send: `perSecond` across all chats, one message per `perChatIntervalMs`
 * to one chat, and one per `perGroupIntervalMs` to a group chat (Telegram meters groups per minute).
 */
export type PacingLimits = { perSecond: number; perChatIntervalMs: number; perGroupIntervalMs: number };

/**
 * The platforms' published limits (or, for the unofficial clients, what keeps an account safe):
 * - telegram: Bot FAQ, "avoid sending more than one message per second" in a chat, no more than
 *   20 per minute in a group, about 30 per second in bulk (core.telegram.org/bots/faq).
 * - whatsapp (Baileys, WhatsApp Web): no published limit and bans for bursts. This is a backstop; the
 *   adapter also paces like a person (`globalPerMinute`, 20 by default, and `perChatIntervalMs`).
 * - instagram (private API): its maintainers report that most calls need a 5-7 s pause
 *   (dilame/instagram-private-api issue 1053), so one message per 5 s overall, 6 s per chat.
 * - whatsapp-cloud: 80 messages per second per business number by default, and a pair rate of
 *   about one message every 6 s to one user (Meta, WhatsApp Business Platform "Throughput"; error
 *   131056 when the pair rate is passed).
 * - instagram-graph: Send API, 300 calls per second per Instagram professional account for text
 *   (Meta, Messenger Platform "Rate limits"); one thread has no figure, so 1 per second like Telegram.
 */
export const DEFAULT_PACING: Record<ChannelName, PacingLimits> = {
  telegram: { perSecond: 30, perChatIntervalMs: 1000, perGroupIntervalMs: 3000 },
  whatsapp: { perSecond: 5, perChatIntervalMs: 3000, perGroupIntervalMs: 3000 },
  instagram: { perSecond: 0.2, perChatIntervalMs: 6000, perGroupIntervalMs: 6000 },
  'whatsapp-cloud': { perSecond: 80, perChatIntervalMs: 6000, perGroupIntervalMs: 6000 },
  'instagram-graph': { perSecond: 300, perChatIntervalMs: 1000, perGroupIntervalMs: 1000 },
};

/** The admin's override, under `outbound` in a channel's runtime config; what is not set is the default. */
export const OUTBOUND_PACING_SCHEMA = z
  .object({
    perSecond: z.number().min(0.01).max(1000),
    perChatIntervalMs: z.number().int().min(1).max(600_000),
    perGroupIntervalMs: z.number().int().min(1).max(600_000),
  })
  .partial()
  .strict();

export type OutboundPacingConfig = z.infer<typeof OUTBOUND_PACING_SCHEMA>;

/** The limits a channel runs with: its defaults, overridden by the admin's `outbound` settings. */
export function pacingLimitsOf(channel: ChannelName, config: unknown): PacingLimits {
  const outbound = (config as { outbound?: unknown } | null | undefined)?.outbound;
  const parsed = OUTBOUND_PACING_SCHEMA.safeParse(outbound ?? {});
  return { ...DEFAULT_PACING[channel], ...(parsed.success ? parsed.data : {}) };
}

/** A group chat, where Telegram's per-minute group limit applies instead of the per-chat one. */
export function isGroupThread(channel: ChannelName, threadId: string): boolean {
  if (channel === 'telegram') return threadId.startsWith('-');
  if (channel === 'whatsapp') return threadId.endsWith('@g.us');
  return false;
}

/**
 * No one-second window may hold more than the limit at the platform's end, and a send reaches it a
 * little after its slot (event loop, network). So the hard rule here is "at most the limit in any
 * window of 1 s plus this guard": up to this much jitter can never put one send too many in the
 * platform's second. It costs 3.8% of the limit. Measured on the loaded 2-core development machine at
 * 200/s, slot to arrival at the fake Bot API: median 2 ms, p99 26 ms, max 38 ms.
 */
export const JITTER_GUARD_MS = 40;
const WINDOW_MS = 1000 + JITTER_GUARD_MS;
/**
 * Sends are spaced evenly (no burst of the whole second's budget at once), and a timer that fires
 * late may catch up this far: otherwise each late wake-up would lose part of a slot for good (5 ms
 * slots at 200/s). The window rule above still holds whatever the catch-up.
 */
export const CATCH_UP_MS = 50;
/** Per-chat entries are dropped once they no longer hold anyone back, past this many. */
const FORGET_AFTER_ENTRIES = 1000;

type Grant = { at: number; cost: number };
export type PauseScope = { chat: string } | 'all';
export type WaitingSend = { chat: string; cost?: number };

/**
 * The slot arithmetic of one channel, in milliseconds, with no timers: who may send when. Grants are
 * kept rather than next free times, so a change of limits applies at once to what waits.
 */
export class SendSchedule {
  private limits: PacingLimits;
  /** When the last slot began on the even schedule (up to CATCH_UP_MS before its real time). */
  private lastSlot: Grant | undefined;
  /** Real grant times within the last window, oldest first, one entry per platform message. */
  private recent: number[] = [];
  private readonly lastByChat = new Map<string, Grant>();
  private pausedUntil = Number.NEGATIVE_INFINITY;
  private readonly chatPausedUntil = new Map<string, number>();

  constructor(
    limits: PacingLimits,
    private readonly isGroup: (chat: string) => boolean = () => false,
  ) {
    this.limits = limits;
  }

  get currentLimits(): PacingLimits {
    return this.limits;
  }

  setLimits(limits: PacingLimits): void {
    this.limits = limits;
  }

  /** The earliest time the channel may send `cost` more messages, whatever the chat. */
  channelReadyAt(cost = 1): number {
    const interval = WINDOW_MS / this.limits.perSecond;
    const evenly = this.lastSlot
      ? this.lastSlot.at + this.lastSlot.cost * interval
      : Number.NEGATIVE_INFINITY;
    // At most floor(perSecond) in any window (at least one, for rates under one a second).
    const perWindow = Math.max(1, Math.floor(this.limits.perSecond));
    const mustLeave = this.recent.length + Math.min(cost, perWindow) - perWindow;
    const windowed =
      mustLeave > 0 ? (this.recent[mustLeave - 1] as number) + WINDOW_MS : Number.NEGATIVE_INFINITY;
    return Math.max(evenly, windowed, this.pausedUntil);
  }

  /** The earliest time `chat` may be sent to again, leaving the overall rate aside. */
  chatReadyAt(chat: string): number {
    const last = this.lastByChat.get(chat);
    const interval = this.isGroup(chat) ? this.limits.perGroupIntervalMs : this.limits.perChatIntervalMs;
    const next = last ? last.at + (last.cost * interval * WINDOW_MS) / 1000 : Number.NEGATIVE_INFINITY;
    return Math.max(next, this.chatPausedUntil.get(chat) ?? Number.NEGATIVE_INFINITY);
  }

  readyAt(chat: string, cost = 1): number {
    return Math.max(this.channelReadyAt(cost), this.chatReadyAt(chat));
  }

  /** Books a send of `cost` platform messages to `chat` at `now`; call only when `readyAt` has come. */
  take(chat: string, now: number, cost = 1): void {
    const evenStart = this.lastSlot ? Math.max(this.channelReadyAt(0), now - CATCH_UP_MS) : now;
    this.lastSlot = { at: Math.min(evenStart, now), cost };
    for (let i = 0; i < cost; i += 1) this.recent.push(now);
    const stale = this.recent.findIndex((at) => at > now - WINDOW_MS);
    if (stale !== 0) this.recent = stale < 0 ? [] : this.recent.slice(stale);
    this.lastByChat.set(chat, { at: now, cost });
    if (this.lastByChat.size > FORGET_AFTER_ENTRIES) this.forgetIdle(now);
  }

  /** Nothing goes to `scope` before `until` (the platform said 429 with retry_after). */
  pause(scope: PauseScope, until: number): void {
    if (scope === 'all') {
      this.pausedUntil = Math.max(this.pausedUntil, until);
      return;
    }
    this.chatPausedUntil.set(scope.chat, Math.max(this.chatPausedUntil.get(scope.chat) ?? 0, until));
  }

  /**
   * Of the waiting sends (oldest first), the one to grant now: the oldest whose chat is free. A chat
   * that must wait does not hold back the others. Otherwise, when to look again.
   */
  next(waiting: readonly WaitingSend[], now: number): { grant: number } | { wakeAt: number } | null {
    if (waiting.length === 0) return null;
    const channelAt = this.channelReadyAt();
    if (channelAt > now) return { wakeAt: channelAt };
    let wakeAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < waiting.length; i += 1) {
      const send = waiting[i] as WaitingSend;
      const chatAt = this.chatReadyAt(send.chat);
      if (chatAt > now) {
        wakeAt = Math.min(wakeAt, chatAt);
        continue;
      }
      // The oldest free send goes next even when it is long: smaller ones do not overtake it.
      const fitsAt = this.channelReadyAt(send.cost ?? 1);
      return fitsAt <= now ? { grant: i } : { wakeAt: fitsAt };
    }
    return { wakeAt };
  }

  /** How many chats are remembered (for tests of the pruning). */
  get rememberedChats(): number {
    return this.lastByChat.size;
  }

  private forgetIdle(now: number): void {
    for (const chat of this.lastByChat.keys())
      if (this.chatReadyAt(chat) <= now) this.lastByChat.delete(chat);
    for (const [chat, until] of this.chatPausedUntil) if (until <= now) this.chatPausedUntil.delete(chat);
  }
}
