// The pacer in front of the real Telegram adapter (telegraf) and the fake Bot API on 127.0.0.1: the
// rate the platform sees, counted from the fake's own arrival times, never passes the configured limit.
import { createTelegramChannel, type TelegramChannel } from '@loket/channel-telegram';
import type { DeliveryTask } from '@loket/core';
import { type FakeTelegram, startFakeTelegram, telegramFailures } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOutboundPacer, type OutboundPacer } from '../src/index.ts';
import { pauseAfterRateLimit, waitForSendSlot } from '../src/pacing.ts';

let fake: FakeTelegram;
let adapter: TelegramChannel;

beforeEach(async () => {
  fake = await startFakeTelegram();
  adapter = createTelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, mode: 'polling' });
});

afterEach(async () => {
  await fake.close();
});

function task(chat: string, text: string): DeliveryTask {
  return {
    jobId: text,
    messageId: text,
    ticketId: chat,
    channel: 'telegram',
    threadId: chat,
    text,
    attachments: [],
    automated: true,
    queuedAt: new Date(),
    attempts: 0,
  };
}

/**
 * As the delivery worker sends: each chat's messages in order, the chats side by side, a slot taken
 * right before each send, and a 429 pausing the channel and retrying after retry_after.
 */
async function deliverAll(pacer: OutboundPacer, chats: Map<string, string[]>): Promise<void> {
  const stopping = new AbortController();
  await Promise.all(
    [...chats].map(async ([chat, texts]) => {
      for (const text of texts) {
        for (;;) {
          const job = task(chat, text);
          if (!(await waitForSendSlot(pacer, job, 0, stopping.signal))) return;
          try {
            await adapter.send({ channel: 'telegram', externalThreadId: chat }, { text });
            break;
          } catch (error) {
            pauseAfterRateLimit(pacer, 'telegram', error);
          }
        }
      }
    }),
  );
}

/** The arrival times (ms) of the sendMessage calls the fake answered. */
function arrivals(): { chat: string; at: number }[] {
  return fake.calls
    .filter((call) => call.method === 'sendMessage')
    .map((call) => ({ chat: String(call.params.chat_id), at: call.at.getTime() }));
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let from = 0;
  for (let to = 0; to < sorted.length; to += 1) {
    while ((sorted[to] as number) - (sorted[from] as number) >= windowMs) from += 1;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

describe('outbound pacing against the fake Telegram', () => {
  it('keeps to the configured overall and per-chat limits', async () => {
    const pacer = createOutboundPacer();
    pacer.configure('telegram', { outbound: { perSecond: 25, perChatIntervalMs: 1000 } });
    // 60 chats: most get one reply, every fifth gets three (the per-chat limit must space them).
    const chats = new Map<string, string[]>();
    for (let i = 0; i < 60; i += 1) {
      chats.set(String(700_000 + i), i % 5 === 0 ? [`r${i}a`, `r${i}b`, `r${i}c`] : [`r${i}`]);
    }
    await deliverAll(pacer, chats);

    const sent = arrivals();
    expect(sent).toHaveLength(84);
    const times = sent.map((s) => s.at);
    expect(maxInAnyWindow(times, 1000)).toBeLessThanOrEqual(25);
    // While many chats are free the limit is what holds sends back (at the end, the chats' own intervals).
    const first50 = [...times].sort((x, y) => x - y).slice(0, 50);
    const seconds = ((first50.at(-1) as number) - (first50[0] as number)) / 1000;
    expect(49 / seconds).toBeGreaterThan(0.9 * 25);
    for (const chat of chats.keys()) {
      const own = sent.filter((s) => s.chat === chat).map((s) => s.at);
      for (let i = 1; i < own.length; i += 1)
        expect((own[i] as number) - (own[i - 1] as number)).toBeGreaterThan(990);
    }
  });

  it('holds every pending send for retry_after when Telegram answers 429', async () => {
    const pacer = createOutboundPacer();
    pacer.configure('telegram', { outbound: { perSecond: 50 } });
    fake.failNext('sendMessage', telegramFailures.tooManyRequests(1));
    const chats = new Map<string, string[]>();
    for (let i = 0; i < 10; i += 1) chats.set(String(800_000 + i), [`m${i}`]);
    await deliverAll(pacer, chats);

    const calls = arrivals();
    // The refused call plus the ten messages, the first one retried.
    expect(calls).toHaveLength(11);
    const refusedAt = calls[0]?.at ?? 0;
    // Sends already granted before the 429 came back may be in flight; nothing starts during the pause.
    const during = calls.filter((c) => c.at > refusedAt + 100 && c.at < refusedAt + 1000);
    expect(during).toHaveLength(0);
    expect(calls.filter((c) => c.at >= refusedAt + 1000).length).toBeGreaterThanOrEqual(8);
  });
});
