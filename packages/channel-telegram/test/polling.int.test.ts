import { ChannelError } from '@loket/core';
import {
  channelPostUpdate,
  editedTextMessageUpdate,
  type FakeTelegram,
  groupTextMessageUpdate,
  pollUpdate,
  startCommandUpdate,
  startFakeTelegram,
  stickerMessageUpdate,
  telegramFailures,
  textMessageUpdate,
  waitUntil,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from '../src/index.ts';
import { budi, pollingChannel, recordingContext, siti, states } from './harness.ts';

let fake: FakeTelegram;
const channels: TelegramChannel[] = [];

function track(channel: TelegramChannel): TelegramChannel {
  channels.push(channel);
  return channel;
}

beforeEach(async () => {
  fake = await startFakeTelegram();
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.stop()));
  await fake.close();
});

/** The update is confirmed once a getUpdates call carried an offset above it and the fake dropped it. */
async function waitUntilConfirmed(updateId: number): Promise<void> {
  await waitUntil(() => fake.pendingUpdates().every((update) => update.update_id !== updateId), {
    message: `update ${updateId} was never confirmed`,
  });
  expect(fake.getUpdatesCalls.some((call) => (call.offset ?? 0) > updateId)).toBe(true);
}

describe('Telegram polling against the fake Bot API', () => {
  it('connects, normalises a text message, and confirms it only after storing', async () => {
    const channel = track(pollingChannel(fake));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'connected']);
    expect(fake.callsTo('getMe')).toHaveLength(1);
    expect(fake.webhookCalls).toMatchObject([
      { method: 'deleteWebhook', params: { drop_pending_updates: false } },
    ]);

    const sentAt = new Date('2025-03-03T01:30:00Z');
    const updateId = fake.pushUpdate(
      textMessageUpdate({ from: siti, text: 'Mau tanya syarat KTP', messageId: 77, date: sentAt }),
    );
    await waitUntil(() => recorder.stored.length === 1);
    const message = recorder.stored[0];
    expect(message).toMatchObject({
      channel: 'telegram',
      externalMessageId: `${siti.id}:77`,
      externalUserId: String(siti.id),
      externalThreadId: String(siti.id),
      displayName: 'Siti Rahayu',
      handle: 'sitirahayu',
      text: 'Mau tanya syarat KTP',
      attachments: [],
    });
    expect(message?.sentAt.toISOString()).toBe(sentAt.toISOString());
    await waitUntilConfirmed(updateId);
    expect(fake.getUpdatesCalls.at(-1)).toMatchObject({
      timeout: 5,
      allowedUpdates: ['message', 'edited_message'],
    });
  });

  it('retries a failing store, delivers once, and does not confirm early', async () => {
    const channel = track(pollingChannel(fake));
    let failuresLeft = 2;
    const recorder = recordingContext(async () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        // While storing fails, Telegram must still hold the update.
        expect(fake.pendingUpdates().map((update) => update.update_id)).toContain(updateId);
        throw new Error('database unavailable');
      }
    });
    await channel.start(recorder.ctx);
    const updateId = fake.pushUpdate(textMessageUpdate({ from: siti, text: 'halo' }));

    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.attempts).toHaveLength(3);
    expect(new Set(recorder.attempts.map((message) => message.externalMessageId)).size).toBe(1);
    await waitUntilConfirmed(updateId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(recorder.stored).toHaveLength(1);
  });

  it('hands updates over one at a time, in order', async () => {
    const channel = track(pollingChannel(fake));
    const recorder = recordingContext(() => new Promise((resolve) => setTimeout(resolve, 10)));
    for (const text of ['satu', 'dua', 'tiga']) fake.pushUpdate(textMessageUpdate({ from: budi, text }));
    await channel.start(recorder.ctx);
    await waitUntil(() => recorder.stored.length === 3);
    expect(recorder.stored.map((message) => message.text)).toEqual(['satu', 'dua', 'tiga']);
    await waitUntil(() => fake.pendingUpdates().length === 0);
  });

  it('redelivers after a restart an update that was never stored', async () => {
    const first = track(pollingChannel(fake));
    const failing = recordingContext(async () => {
      throw new Error('disk full');
    });
    await first.start(failing.ctx);
    const updateId = fake.pushUpdate(textMessageUpdate({ from: siti, text: 'tolong dibantu' }));
    await waitUntil(() => failing.attempts.length >= 2);
    await first.stop();
    expect(fake.pendingUpdates().map((update) => update.update_id)).toEqual([updateId]);

    const second = track(pollingChannel(fake));
    const working = recordingContext();
    await second.start(working.ctx);
    await waitUntil(() => working.stored.length === 1);
    expect(working.stored[0]?.externalMessageId).toBe(failing.attempts[0]?.externalMessageId);
    await waitUntilConfirmed(updateId);
  });

  it('redelivers after a restart an update stored but not yet confirmed, with the same dedupe key', async () => {
    const first = track(pollingChannel(fake));
    let stopping: Promise<void> | undefined;
    const recorder = recordingContext(async () => {
      // Stopped right after storing: the offset that would confirm the update is never sent.
      stopping = first.stop();
    });
    await first.start(recorder.ctx);
    fake.pushUpdate(textMessageUpdate({ from: siti, text: 'sekali saja' }));
    await waitUntil(() => stopping !== undefined);
    await stopping;
    expect(fake.pendingUpdates()).toHaveLength(1);

    const second = track(pollingChannel(fake));
    const again = recordingContext();
    await second.start(again.ctx);
    await waitUntil(() => again.stored.length === 1);
    expect(again.stored[0]?.externalMessageId).toBe(recorder.stored[0]?.externalMessageId);
  });

  it('turns /start <code> into a referral code', async () => {
    const channel = track(pollingChannel(fake));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.pushUpdate(startCommandUpdate({ from: siti, code: 'kel-mekarjaya_01' }));
    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.stored[0]).toMatchObject({ text: '/start', referralCode: 'kel-mekarjaya_01' });
  });

  it('skips unsupported updates, reports them, and confirms them', async () => {
    const channel = track(pollingChannel(fake));
    const recorder = recordingContext();
    const skippedIds = [
      fake.pushUpdate(editedTextMessageUpdate({ from: siti, text: 'ralat' })),
      fake.pushUpdate(
        channelPostUpdate({ channelId: -1001234, title: 'Info Kelurahan', text: 'pengumuman' }),
      ),
      fake.pushUpdate(groupTextMessageUpdate({ from: budi, groupId: -100999, title: 'RT 05', text: 'halo' })),
      fake.pushUpdate(stickerMessageUpdate({ from: budi })),
      fake.pushUpdate(pollUpdate({ question: 'Setuju?', options: ['ya', 'tidak'] })),
    ];
    const lastId = fake.pushUpdate(textMessageUpdate({ from: budi, text: 'pesan biasa' }));
    await channel.start(recorder.ctx);

    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.stored[0]?.text).toBe('pesan biasa');
    expect(recorder.rejected.map((entry) => entry.reason)).toEqual([
      'unsupported_update',
      'unsupported_update',
      'non_private_chat',
      'unsupported_message',
      'unsupported_update',
    ]);
    expect(recorder.rejected.map((entry) => entry.detail?.updateId)).toEqual(skippedIds);
    expect(recorder.rejected[3]?.detail).toMatchObject({ messageKind: 'sticker' });
    await waitUntilConfirmed(lastId);
    expect(fake.pendingUpdates()).toEqual([]);
  });

  it('reports a rejected token as status error, rejects start, and never polls', async () => {
    const channel = track(pollingChannel(fake, { token: '7000000000:AAwrongTokenEntirely' }));
    const recorder = recordingContext();
    const failure = await channel.start(recorder.ctx).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ChannelError);
    expect(failure).toMatchObject({ channel: 'telegram', retryable: false, code: 'UNAUTHORIZED' });
    expect(states(recorder)).toEqual(['starting', 'error']);
    expect(recorder.statuses[1]?.detail).toMatch(/rejected the bot token/);
    expect(fake.getUpdatesCalls).toHaveLength(0);
  });

  it('stops the loop with status error when the token is revoked while polling', async () => {
    const channel = track(pollingChannel(fake, { pollTimeoutSeconds: 0 }));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.getUpdatesCalls.length >= 2);
    fake.failNext('getUpdates', telegramFailures.unauthorized());
    await waitUntil(() => states(recorder).includes('error'));
    const callsAfterError = fake.getUpdatesCalls.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.getUpdatesCalls.length).toBe(callsAfterError);
    expect(fake.pendingUpdates()).toEqual([]);
  });

  it('stops with status error on 409 when a webhook takes over the bot', async () => {
    const channel = track(pollingChannel(fake));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.isPollHeld);
    // Another deployment registers a webhook; Telegram ends our long poll with 409.
    await fetch(`${fake.apiRoot}/bot${fake.token}/setWebhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'https://elsewhere.example/hook' }),
    });
    await waitUntil(() => states(recorder).includes('error'));
    expect(recorder.statuses.at(-1)?.detail).toMatch(/another poller or a webhook/);
  });

  it('reports disconnected on a network failure and recovers without losing the update', async () => {
    const channel = track(pollingChannel(fake, { pollTimeoutSeconds: 30 }));
    const recorder = recordingContext();
    fake.failNext('getUpdates', telegramFailures.connectionReset());
    fake.failNext('getUpdates', telegramFailures.badGateway());
    await channel.start(recorder.ctx);
    await waitUntil(() => states(recorder).includes('disconnected'));
    await waitUntil(() => states(recorder).at(-1) === 'connected');
    expect(states(recorder)).toEqual(['starting', 'connected', 'disconnected', 'connected']);
    expect(recorder.statuses[2]?.detail).toMatch(/getUpdates failed/);

    const updateId = fake.pushUpdate(textMessageUpdate({ from: siti, text: 'masih ada?' }));
    await waitUntil(() => recorder.stored.length === 1);
    await waitUntilConfirmed(updateId);
  });

  it('waits retry_after on a 429 from getUpdates', async () => {
    const channel = track(pollingChannel(fake, { pollTimeoutSeconds: 0 }));
    const recorder = recordingContext();
    fake.failNext('getUpdates', telegramFailures.tooManyRequests(1));
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.callsTo('getUpdates').length >= 2, { timeoutMs: 3000 });
    const [limited, retried] = fake.callsTo('getUpdates');
    expect((retried?.at.getTime() ?? 0) - (limited?.at.getTime() ?? 0)).toBeGreaterThanOrEqual(950);
    expect(states(recorder)).toEqual(['starting', 'connected']);
  });

  it('stop() ends a held long poll promptly and polls no more', async () => {
    const channel = track(pollingChannel(fake, { pollTimeoutSeconds: 30 }));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.isPollHeld);
    const started = Date.now();
    await channel.stop();
    // Well before the 30 s hold: stop() aborted the poll instead of waiting it out.
    expect(Date.now() - started).toBeLessThan(20_000);
    const calls = fake.getUpdatesCalls.length;
    await waitUntil(() => !fake.isPollHeld, { message: 'the fake still holds the aborted poll' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.getUpdatesCalls.length).toBe(calls);
    expect(states(recorder).at(-1)).toBe('disconnected');
  });

  it('stop() does not wait for a store that hangs, and leaves the update unconfirmed', async () => {
    const channel = track(pollingChannel(fake));
    const recorder = recordingContext(() => new Promise(() => {}));
    await channel.start(recorder.ctx);
    const updateId = fake.pushUpdate(textMessageUpdate({ from: siti, text: 'macet' }));
    await waitUntil(() => recorder.attempts.length === 1);
    // The store never settles: stop() resolving at all shows it does not wait for it.
    await channel.stop();
    expect(fake.pendingUpdates().map((update) => update.update_id)).toEqual([updateId]);
  });

  it('stops when the start context signal aborts', async () => {
    const channel = track(pollingChannel(fake, { pollTimeoutSeconds: 30 }));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.isPollHeld);
    recorder.controller.abort();
    await waitUntil(() => !fake.isPollHeld);
    const calls = fake.getUpdatesCalls.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.getUpdatesCalls.length).toBe(calls);
    // Once stopped by its signal the adapter can be started again.
    const again = recordingContext();
    await channel.start(again.ctx);
    expect(states(again)).toEqual(['starting', 'connected']);
  });
});
