import {
  ChannelError,
  type ChannelName,
  type DeliveryTask,
  isGroupThread,
  type PacingLimits,
  type PauseScope,
  pacingLimitsOf,
  SendSchedule,
  splitText,
  type TextMeasure,
} from '@loket/core';
import type { ChannelFactories } from './supervisor.ts';

/**
 * Paces the delivery worker's sends per channel: an overall rate and a per-chat rate, oldest send
 * first among the chats that are free. Limits come from each channel's runtime config (`outbound`)
 * and change without a restart; a 429 pauses what waits.
 */
export type OutboundPacer = {
  /**
   * Resolves true when `cost` messages may go to `chat` now, and books them. Resolves false, and
   * books nothing, when `signal` aborts first (the worker is stopping).
   */
  acquire(
    channel: ChannelName,
    chat: string,
    options?: { cost?: number; signal?: AbortSignal },
  ): Promise<boolean>;
  /** Holds every pending and future send to `scope` for `ms` (a 429 with retry_after). */
  pause(channel: ChannelName, scope: PauseScope, ms: number): void;
  /** Applies a channel's runtime config (its `outbound` settings over the defaults) to what waits too. */
  configure(channel: ChannelName, config: unknown): void;
  limitsOf(channel: ChannelName): PacingLimits;
  /** Sends waiting for a slot, per channel (for metrics and tests). */
  waiting(channel: ChannelName): number;
};

type Waiter = { chat: string; cost: number; grant: () => void; refuse: () => void };

type ChannelLane = { schedule: SendSchedule; waiters: Waiter[]; timer: NodeJS.Timeout | undefined };

export function createOutboundPacer(
  options: { now?: () => number; limits?: Partial<Record<ChannelName, PacingLimits>> } = {},
): OutboundPacer {
  const now = options.now ?? Date.now;
  const lanes = new Map<ChannelName, ChannelLane>();

  function laneOf(channel: ChannelName): ChannelLane {
    let lane = lanes.get(channel);
    if (!lane) {
      const limits = options.limits?.[channel] ?? pacingLimitsOf(channel, {});
      lane = {
        schedule: new SendSchedule(limits, (chat) => isGroupThread(channel, chat)),
        waiters: [],
        timer: undefined,
      };
      lanes.set(channel, lane);
    }
    return lane;
  }

  /** Grants every send that may go now, then sleeps until the next one may. */
  function pump(lane: ChannelLane): void {
    clearTimeout(lane.timer);
    lane.timer = undefined;
    for (;;) {
      const at = now();
      const next = lane.schedule.next(lane.waiters, at);
      if (!next) return;
      if ('wakeAt' in next) {
        // setTimeout may fire a millisecond early; the pump then simply sleeps again.
        lane.timer = setTimeout(() => pump(lane), Math.max(0, Math.ceil(next.wakeAt - at)));
        return;
      }
      const [waiter] = lane.waiters.splice(next.grant, 1);
      if (!waiter) return;
      lane.schedule.take(waiter.chat, at, waiter.cost);
      waiter.grant();
    }
  }

  /**
   * One abort listener per signal, not per send: the worker passes one signal with all its sends,
   * and a listener each would pile up (Node warns past ten).
   */
  const waitingOn = new WeakMap<AbortSignal, Set<Waiter>>();

  function watch(signal: AbortSignal, waiter: Waiter): void {
    let waiters = waitingOn.get(signal);
    if (!waiters) {
      const set = new Set<Waiter>();
      waiters = set;
      waitingOn.set(signal, set);
      signal.addEventListener(
        'abort',
        () => {
          waitingOn.delete(signal);
          for (const aborted of set) aborted.refuse();
        },
        { once: true },
      );
    }
    waiters.add(waiter);
  }

  return {
    acquire(channel, chat, { cost = 1, signal } = {}) {
      if (signal?.aborted) return Promise.resolve(false);
      const lane = laneOf(channel);
      return new Promise<boolean>((resolve) => {
        const waiter: Waiter = {
          chat,
          cost: Math.max(1, cost),
          grant: () => {
            if (signal) waitingOn.get(signal)?.delete(waiter);
            resolve(true);
          },
          refuse: () => {
            const index = lane.waiters.indexOf(waiter);
            if (index >= 0) lane.waiters.splice(index, 1);
            resolve(false);
            // The refused send may have been what the timer waited for.
            pump(lane);
          },
        };
        if (signal) watch(signal, waiter);
        lane.waiters.push(waiter);
        pump(lane);
      });
    },
    pause(channel, scope, ms) {
      const lane = laneOf(channel);
      lane.schedule.pause(scope, now() + ms);
      pump(lane);
    },
    configure(channel, config) {
      const lane = laneOf(channel);
      lane.schedule.setLimits(pacingLimitsOf(channel, config));
      pump(lane);
    },
    limitsOf: (channel) => laneOf(channel).schedule.currentLimits,
    waiting: (channel) => lanes.get(channel)?.waiters.length ?? 0,
  };
}

/**
 * The factories, each also handing its config to the pacer: the supervisor builds an adapter with
 * the stored config at every start and every config change, so the pacer always has the latest.
 */
export function pacedFactories(factories: ChannelFactories, pacer: OutboundPacer): ChannelFactories {
  const paced: ChannelFactories = {};
  for (const [channel, factory] of Object.entries(factories) as [
    ChannelName,
    NonNullable<ChannelFactories[ChannelName]>,
  ][]) {
    paced[channel] = (config) => {
      pacer.configure(channel, config);
      return factory(config);
    };
  }
  return paced;
}

/** The longest text of one platform message (as the adapters split it), to count the messages of a reply. */
const TEXT_LIMIT: Record<ChannelName, [number, TextMeasure]> = {
  telegram: [4096, 'utf16'],
  whatsapp: [4096, 'utf16'],
  instagram: [1000, 'utf16'],
  'whatsapp-cloud': [4096, 'utf16'],
  'instagram-graph': [1000, 'utf8'],
};

/**
 * How many platform messages a reply becomes (long text is split, each document is its own message).
 * An estimate on the safe side; its parts go out back to back, but each is booked against the rates.
 */
export function messagesIn(task: Pick<DeliveryTask, 'channel' | 'text'>, documents: number): number {
  const pieces = task.text.trim() ? splitText(task.text, ...TEXT_LIMIT[task.channel]).length : 0;
  return Math.max(1, pieces + documents);
}

/** Waits for the task's slot; false when the worker stopped first (the job should go back to the queue). */
export function waitForSendSlot(
  pacer: OutboundPacer | undefined,
  task: DeliveryTask,
  documents: number,
  signal: AbortSignal,
): Promise<boolean> {
  if (!pacer) return Promise.resolve(true);
  return pacer.acquire(task.channel, task.threadId, { cost: messagesIn(task, documents), signal });
}

/**
 * After a failed send: when the platform asked for a pause (429 with retry_after), every pending
 * send of the channel waits it out, not only the retried one. Telegram does not say whether its 429
 * was for the chat or the bot, so the whole channel waits.
 */
export function pauseAfterRateLimit(
  pacer: OutboundPacer | undefined,
  channel: ChannelName,
  error: unknown,
): void {
  if (!pacer || !(error instanceof ChannelError) || error.retryAfter === undefined) return;
  pacer.pause(channel, 'all', error.retryAfter * 1000);
}
