import { Boom } from '@hapi/boom';
import { ChannelError } from '@loket/core';
import type { AnyMessageContent, WAMessage } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import type { Pacer } from './pacing.ts';
import { isAddressableJid, type MessageSender, messagesFor, sendContent, toSendError } from './send.ts';

const THREAD = { channel: 'whatsapp' as const, externalThreadId: '207544410000123@lid' };

function recordingSocket(fail?: (content: AnyMessageContent) => unknown) {
  const sent: { jid: string; content: AnyMessageContent }[] = [];
  const socket: MessageSender = {
    async sendMessage(jid, content) {
      const failure = fail?.(content);
      if (failure) throw failure;
      sent.push({ jid, content });
      return { key: { id: `MSG${sent.length}`, remoteJid: jid, fromMe: true } } as WAMessage;
    },
  };
  return { socket, sent };
}

function recordingPacer() {
  const acquired: string[] = [];
  const pacer: Pacer = {
    async acquire(chatId, signal) {
      signal?.throwIfAborted();
      acquired.push(chatId);
    },
  };
  return { pacer, acquired };
}

describe('sendContent', () => {
  it('sends text, then documents (images as images), each through the pacer, and returns the last id', async () => {
    const { socket, sent } = recordingSocket();
    const { pacer, acquired } = recordingPacer();
    const remembered: WAMessage[] = [];
    const result = await sendContent(
      { connectedSocket: () => socket, pacer, rememberSent: (message) => remembered.push(message) },
      THREAD,
      {
        text: 'Surat Anda sudah siap.',
        documents: [
          { name: 'surat.pdf', mime: 'application/pdf', data: new Uint8Array([1]) },
          { name: 'denah.png', mime: 'image/png', data: new Uint8Array([2]) },
        ],
      },
    );
    expect(result).toEqual({ externalId: 'MSG3' });
    expect(acquired).toEqual([THREAD.externalThreadId, THREAD.externalThreadId, THREAD.externalThreadId]);
    expect(sent.map((part) => part.jid)).toEqual(Array(3).fill(THREAD.externalThreadId));
    expect(sent[0]?.content).toEqual({ text: 'Surat Anda sudah siap.', linkPreview: null });
    expect(sent[1]?.content).toMatchObject({ mimetype: 'application/pdf', fileName: 'surat.pdf' });
    expect(sent[2]?.content).toMatchObject({ mimetype: 'image/png' });
    expect('image' in (sent[2]?.content ?? {})).toBe(true);
    expect(remembered).toHaveLength(3);
  });

  it('refuses, retryably, while not connected', async () => {
    const { pacer } = recordingPacer();
    const error = await sendContent({ connectedSocket: () => undefined, pacer }, THREAD, { text: 'x' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ retryable: true, code: 'NOT_CONNECTED', channel: 'whatsapp' });
  });

  it('refuses, retryably, when stopped while waiting its turn', async () => {
    const { socket } = recordingSocket();
    const { pacer } = recordingPacer();
    const controller = new AbortController();
    controller.abort();
    await expect(
      sendContent({ connectedSocket: () => socket, pacer, signal: controller.signal }, THREAD, { text: 'x' }),
    ).rejects.toMatchObject({ retryable: true, code: 'NOT_CONNECTED' });
  });

  it('refuses bad requests for good', async () => {
    const { socket } = recordingSocket();
    const { pacer } = recordingPacer();
    const deps = { connectedSocket: () => socket, pacer };
    await expect(
      sendContent(deps, { channel: 'telegram', externalThreadId: '1' }, { text: 'x' }),
    ).rejects.toMatchObject({ retryable: false, code: 'WRONG_CHANNEL' });
    await expect(
      sendContent(deps, { channel: 'whatsapp', externalThreadId: 'not-a-jid' }, { text: 'x' }),
    ).rejects.toMatchObject({ retryable: false, code: 'INVALID_RECIPIENT' });
    await expect(sendContent(deps, THREAD, { text: '  ' })).rejects.toMatchObject({
      retryable: false,
      code: 'EMPTY_MESSAGE',
    });
  });

  it('maps a socket failure to a ChannelError', async () => {
    const { socket } = recordingSocket(() => new Boom('Connection Closed', { statusCode: 428 }));
    const { pacer } = recordingPacer();
    await expect(
      sendContent({ connectedSocket: () => socket, pacer }, THREAD, { text: 'x' }),
    ).rejects.toMatchObject({
      retryable: true,
      code: 'NOT_CONNECTED',
    });
  });
});

describe('toSendError', () => {
  it.each([
    [new Boom('Connection Closed', { statusCode: 428 }), true, 'NOT_CONNECTED'],
    [new Boom('Timed Out', { statusCode: 408 }), true, 'TIMEOUT'],
    [new Boom('bad-request', { statusCode: 400 }), false, 'BAD_REQUEST'],
    [new Boom('forbidden', { statusCode: 403 }), false, 'FORBIDDEN'],
    [new Boom('restricted', { statusCode: 463 }), false, 'ACCOUNT_RESTRICTED'],
    [new Boom('internal'), true, 'SERVER_ERROR'],
    [new Error('socket hang up'), true, 'SEND_FAILED'],
  ])('%s → retryable %s, %s', (error, retryable, code) => {
    expect(toSendError(error)).toMatchObject({ retryable, code });
  });
});

describe('helpers', () => {
  it('knows which JIDs can be addressed', () => {
    expect(isAddressableJid('6281234567890@s.whatsapp.net')).toBe(true);
    expect(isAddressableJid('207544410000123@lid')).toBe(true);
    expect(isAddressableJid('120363025246125888@g.us')).toBe(true);
    expect(isAddressableJid('status@broadcast')).toBe(false);
    expect(isAddressableJid('6281234567890')).toBe(false);
  });

  it('builds no part for blank text', () => {
    expect(messagesFor({ text: '' })).toEqual([]);
  });
});
