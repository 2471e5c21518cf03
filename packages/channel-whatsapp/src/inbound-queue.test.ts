import { MemoryChannelSessionStore } from '@loket/core';
import { describe, expect, it } from 'vitest';
import { receivedMessage } from '../test/message-fixtures.ts';
import { silentLogger } from './baileys-logger.ts';
import { createOrderedRetryQueue } from './inbound-queue.ts';
import { createInboundSpool } from './inbound-spool.ts';

const fast = { initialDelayMs: 2, maxDelayMs: 10 };

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

describe('createOrderedRetryQueue', () => {
  it('handles items in order and retries a failing one before moving on', async () => {
    const handled: string[] = [];
    const retries: number[] = [];
    let failuresLeft = 2;
    const queue = createOrderedRetryQueue<string>({
      signal: new AbortController().signal,
      backoff: fast,
      async handle(item) {
        if (item === 'b' && failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('database down');
        }
        handled.push(item);
      },
      onRetry: (_item, attempt) => retries.push(attempt),
    });
    queue.push('a');
    queue.push('b');
    queue.push('c');
    await until(() => handled.length === 3);
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(retries).toEqual([1, 2]);
    expect(queue.size()).toBe(0);
  });

  it('stops retrying when aborted and keeps what was not handled', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const queue = createOrderedRetryQueue<string>({
      signal: controller.signal,
      backoff: fast,
      async handle() {
        attempts += 1;
        throw new Error('database down');
      },
    });
    queue.push('a');
    queue.push('b');
    await until(() => attempts >= 2);
    controller.abort();
    const settled = attempts;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(attempts).toBe(settled);
    expect(queue.size()).toBe(2);
  });
});

describe('createInboundSpool', () => {
  it('keeps received messages across restarts until they are removed', async () => {
    const store = new MemoryChannelSessionStore();
    const first = createInboundSpool(store, 'whatsapp:inbound', silentLogger);
    expect(await first.load()).toEqual([]);
    const a = await receivedMessage({
      from: '207544410000123@lid',
      attrs: { sender_pn: '6281234567890@s.whatsapp.net' },
      message: {
        imageMessage: { mediaKey: Buffer.alloc(32, 1), jpegThumbnail: Buffer.alloc(500), fileLength: 10 },
      },
    });
    const b = await receivedMessage({ from: '207544410000123@lid', message: { conversation: 'dua' } });
    await first.add([a, b]);

    const second = createInboundSpool(store, 'whatsapp:inbound', silentLogger);
    const pending = await second.load();
    expect(pending.map((message) => message.key.id)).toEqual([a.key.id, b.key.id]);
    // The key keeps what fromObject would drop, and media keys come back as Buffers.
    expect(pending[0]?.key.remoteJidAlt).toBe('6281234567890@s.whatsapp.net');
    expect([...(pending[0]?.message?.imageMessage?.mediaKey ?? [])]).toEqual(Array(32).fill(1));
    expect(Number(pending[0]?.message?.imageMessage?.fileLength)).toBe(10);
    expect(Number(pending[0]?.messageTimestamp)).toBe(Number(a.messageTimestamp));
    expect(pending[0]?.message?.imageMessage?.jpegThumbnail ?? undefined).toBeUndefined();

    await second.remove(pending[0]!);
    await second.remove(pending[1]!);
    expect(store.data.get('whatsapp:inbound')?.size ?? 0).toBe(0);
  });
});
