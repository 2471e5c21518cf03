import { ChannelError, documentsNotCarriedNotice, type OutboundContent } from '@loket/core';
import { type FakeInstagram, startFakeInstagram } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstagramChannel } from '../src/index.ts';
import { fakeChannel, newStore, recordingContext, Started, siti } from './harness.ts';

let fake: FakeInstagram;
let channel: InstagramChannel;
let threadId: string;
const started = new Started();

beforeEach(async () => {
  fake = await startFakeInstagram();
  threadId = fake.pushText(siti, 'halo').threadId;
  channel = started.track(fakeChannel(fake, newStore()));
  await channel.start(recordingContext().ctx);
});
afterEach(async () => {
  await started.stopAll();
  await fake.close();
});

function send(content: OutboundContent, to = threadId) {
  return channel.send({ channel: 'instagram', externalThreadId: to }, content);
}

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xd9]);

describe('sending Instagram DMs through the fake API', () => {
  it('sends a text and returns its item id', async () => {
    const result = await send({ text: 'Berkas Anda sudah bisa diambil besok pukul 09.00.' });
    expect(fake.sent).toEqual([
      expect.objectContaining({
        threadId,
        kind: 'text',
        text: 'Berkas Anda sudah bisa diambil besok pukul 09.00.',
      }),
    ]);
    expect(result).toEqual({ externalId: fake.sent[0]?.itemId });
  });

  it('splits a long text into pieces of at most 1000 characters, on word boundaries', async () => {
    const text = Array.from({ length: 300 }, (_, i) => `syarat${i}`).join(' ');
    const result = await send({ text });
    expect(fake.sent.length).toBeGreaterThanOrEqual(3);
    for (const sent of fake.sent) {
      expect(sent.kind).toBe('text');
      expect(sent.text?.length).toBeLessThanOrEqual(1000);
      expect(sent.text).toMatch(/^syarat\d+( syarat\d+)*$/);
    }
    expect(fake.sent.map((sent) => sent.text).join(' ')).toBe(text);
    expect(result.externalId).toBe(fake.sent.at(-1)?.itemId);
  });

  it('sends an image document as a photo after the text', async () => {
    const result = await send({
      text: 'Ini contoh pengisian formulir.',
      documents: [{ name: 'contoh.jpg', mime: 'image/jpeg', data: jpeg }],
    });
    expect(fake.sent.map((sent) => sent.kind)).toEqual(['text', 'photo']);
    expect(fake.sent[1]?.photo).toEqual(jpeg);
    expect(result).toEqual({ externalId: fake.sent[1]?.itemId });
  });

  it('replaces a PDF with a short Indonesian notice and returns a warning naming it', async () => {
    const result = await send({
      text: 'Surat pengantar Anda sudah selesai.',
      documents: [
        { name: 'surat-pengantar.pdf', mime: 'application/pdf', data: new Uint8Array([0x25, 0x50]) },
      ],
    });
    expect(fake.sent.map((sent) => sent.text)).toEqual([
      'Surat pengantar Anda sudah selesai.',
      documentsNotCarriedNotice(['surat-pengantar.pdf']),
    ]);
    expect(result.externalId).toBe(fake.sent[1]?.itemId);
    expect(result.warning).toMatch(/the file "surat-pengantar.pdf" was not sent/);
  });

  it('sends a text with a web address as a link item, as the app does', async () => {
    await send({ text: 'Formulir: https://loket.example.go.id/f/123' });
    expect(fake.sent).toEqual([
      expect.objectContaining({ kind: 'link', linkUrls: ['https://loket.example.go.id/f/123'] }),
    ]);
  });

  it('fails without retry for an unknown thread or an empty message', async () => {
    const unknown = await send({ text: 'halo' }, '340282366841710300949128000000000000000').catch(
      (e: unknown) => e,
    );
    expect(unknown).toBeInstanceOf(ChannelError);
    expect(unknown).toMatchObject({ channel: 'instagram', retryable: false, code: 'THREAD_NOT_FOUND' });
    await expect(send({ text: '  ' })).rejects.toMatchObject({ code: 'EMPTY_MESSAGE', retryable: false });
    await expect(
      channel.send({ channel: 'telegram', externalThreadId: threadId }, { text: 'x' }),
    ).rejects.toMatchObject({ code: 'WRONG_CHANNEL' });
  });

  it('asks for a retry later on 429, a spam block, a network failure and login_required', async () => {
    const path = '/api/v1/direct_v2/threads/broadcast/text/';
    fake.failNext('rate_limit', { path });
    await expect(send({ text: 'a' })).rejects.toMatchObject({
      retryable: true,
      code: 'RATE_LIMITED',
      retryAfter: 60,
    });
    fake.failNext('spam', { path });
    await expect(send({ text: 'b' })).rejects.toMatchObject({
      retryable: true,
      code: 'ACTION_BLOCKED',
      retryAfter: 3600,
    });
    fake.failNext('connection_reset', { path });
    await expect(send({ text: 'c' })).rejects.toMatchObject({ retryable: true, code: 'NETWORK' });
    fake.failNext('login_required', { path });
    await expect(send({ text: 'd' })).rejects.toMatchObject({ retryable: true, code: 'LOGIN_REQUIRED' });
    expect(fake.sent).toEqual([]);
    await send({ text: 'e' });
    expect(fake.sent.map((sent) => sent.text)).toEqual(['e']);
  });
});
