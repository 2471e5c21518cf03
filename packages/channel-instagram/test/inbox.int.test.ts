import { ChannelError } from '@loket/core';
import { type FakeInstagram, startFakeInstagram, waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  budi,
  fakeChannel,
  newStore,
  recordingContext,
  Started,
  savedCursor,
  siti,
  sleep,
} from './harness.ts';

let fake: FakeInstagram;
const started = new Started();

beforeEach(async () => {
  fake = await startFakeInstagram();
});
afterEach(async () => {
  await started.stopAll();
  await fake.close();
});

/** A JPEG's first bytes, then filler: enough to tell the full photo from its 64-byte thumbnail. */
function jpeg(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x42);
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  return bytes;
}

async function connectedChannel(overrides: Parameters<typeof fakeChannel>[2] = {}, store = newStore()) {
  const channel = started.track(fakeChannel(fake, store, overrides));
  const recorder = recordingContext();
  await channel.start(recorder.ctx);
  return { channel, recorder, store };
}

describe('Instagram inbox polling against the fake API', () => {
  it('takes in text, link and photo, oldest first, with the sender from the thread', async () => {
    const { recorder } = await connectedChannel();
    const text = fake.pushText(siti, 'Selamat siang, mau urus KTP hilang');
    const link = fake.pushLink(
      siti,
      'syaratnya ini? https://disdukcapil.example.go.id/ktp',
      'https://disdukcapil.example.go.id/ktp',
    );
    const photoBytes = jpeg(5000);
    const photo = fake.pushPhoto(siti, photoBytes);

    await waitUntil(() => recorder.stored.length === 3);
    const [first, second, third] = recorder.stored;
    expect(first).toMatchObject({
      channel: 'instagram',
      externalMessageId: text.itemId,
      externalUserId: siti.pk,
      externalThreadId: text.threadId,
      displayName: 'Siti Rahayu',
      handle: 'siti.rahayu',
      text: 'Selamat siang, mau urus KTP hilang',
      attachments: [],
    });
    expect(first?.sentAt.getTime()).toBe(Number(BigInt(text.timestamp) / 1000n));
    expect(second).toMatchObject({
      externalMessageId: link.itemId,
      text: expect.stringContaining('https://'),
    });
    expect(third).toMatchObject({ externalMessageId: photo.itemId, text: '' });
    expect(third?.attachments).toHaveLength(1);
    expect(third?.attachments[0]).toMatchObject({ kind: 'image', mime: 'image/jpeg' });
    await expect(third?.attachments[0]?.fetch(10_000)).resolves.toEqual(photoBytes);
  });

  it('refuses a photo over the limit, by Content-Length and by counting the bytes', async () => {
    const { recorder } = await connectedChannel({ maxMediaBytes: 4000 });
    fake.pushPhoto(siti, jpeg(5000));
    fake.pushPhoto(siti, jpeg(5000), { withoutContentLength: true });
    fake.pushPhoto(siti, jpeg(3000), { withoutContentLength: true });
    await waitUntil(() => recorder.stored.length === 3);
    const [declared, counted, small] = recorder.stored.map((message) => message.attachments[0]);

    const refusal = { code: 'FILE_TOO_LARGE', retryable: false };
    await expect(declared?.fetch(10_000)).rejects.toMatchObject(refusal);
    await expect(counted?.fetch(10_000)).rejects.toMatchObject(refusal);
    await expect(counted?.fetch(10_000)).rejects.toBeInstanceOf(ChannelError);
    // The caller's limit counts too, below the configured one.
    await expect(small?.fetch(2000)).rejects.toMatchObject(refusal);
    await expect(small?.fetch(4000)).resolves.toHaveLength(3000);
  });

  it('takes in a message request and accepts it afterwards', async () => {
    const threadId = fake.addThread({ with: budi, pending: true });
    const { recorder } = await connectedChannel();
    fake.pushText(threadId, 'Permisi, saya bukan pengikut akun ini');
    await waitUntil(() => recorder.stored.length === 1);
    expect(recorder.stored[0]).toMatchObject({
      externalUserId: budi.pk,
      displayName: 'budi_s',
      externalThreadId: threadId,
    });
    await waitUntil(() => fake.approved.includes(threadId));
    expect(fake.thread(threadId)?.pending).toBe(false);

    // Now in the main inbox, the thread's earlier message is not taken in twice.
    fake.pushText(threadId, 'terima kasih');
    await waitUntil(() => recorder.stored.length === 2);
    await sleep(100);
    expect(recorder.stored.map((message) => message.text)).toEqual([
      'Permisi, saya bukan pengikut akun ini',
      'terima kasih',
    ]);
    expect(fake.approved).toEqual([threadId]);
  });

  it('takes in a message request but leaves it pending when approveRequests is off', async () => {
    const threadId = fake.addThread({ with: budi, pending: true });
    const { recorder } = await connectedChannel({ approveRequests: false });
    fake.pushText(threadId, 'halo kak');
    await waitUntil(() => recorder.stored.length === 1);
    const polls = fake.pendingInboxCalls;
    await waitUntil(() => fake.pendingInboxCalls >= polls + 3);
    expect(fake.approved).toEqual([]);
    expect(fake.thread(threadId)?.pending).toBe(true);
    expect(recorder.stored).toHaveLength(1);
  });

  it('hands items shown by several overlapping polls over once', async () => {
    const { recorder } = await connectedChannel();
    const pushed = [fake.pushText(siti, 'satu'), fake.pushText(budi, 'dua'), fake.pushText(siti, 'tiga')];
    await waitUntil(() => recorder.stored.length === 3);
    const polls = fake.inboxCalls;
    // The same items stay on the inbox's first page for every later poll.
    await waitUntil(() => fake.inboxCalls >= polls + 4);
    expect(recorder.attempts.map((message) => message.externalMessageId).sort()).toEqual(
      pushed.map((item) => item.itemId).sort(),
    );
  });

  it('after a restart takes in what arrived while stopped once, paging back past the inbox preview', async () => {
    const store = newStore();
    const first = await connectedChannel({}, store);
    fake.pushText(siti, 'sebelum berhenti');
    await waitUntil(() => first.recorder.stored.length === 1);
    await first.channel.stop();

    // More than the 10 items per thread the inbox shows: the adapter must page back for the rest.
    const whileStopped = Array.from({ length: 25 }, (_, i) => fake.pushText(siti, `pesan ${i + 1}`));
    fake.pushText(budi, 'dari budi');
    const second = await connectedChannel({}, store);
    await waitUntil(() => second.recorder.stored.length === 26);
    await sleep(100);
    const texts = second.recorder.stored.map((message) => message.text);
    expect(texts.filter((text) => text.startsWith('pesan'))).toEqual(
      whileStopped.map((_, i) => `pesan ${i + 1}`),
    );
    expect(texts).toContain('dari budi');
    expect(texts).not.toContain('sebelum berhenti');
    expect(second.recorder.attempts).toHaveLength(26);
    const threadId = whileStopped[0]?.threadId ?? '';
    expect(fake.threadPageCalls(threadId)).toBeGreaterThanOrEqual(2);
    expect(savedCursor(store, threadId)?.itemId).toBe(whileStopped.at(-1)?.itemId);
  });

  it('does not replay the history from before the very first start', async () => {
    fake.pushText(siti, 'pesan lama', { at: new Date(Date.now() - 3_600_000) });
    const { recorder } = await connectedChannel();
    const polls = fake.inboxCalls;
    await waitUntil(() => fake.inboxCalls >= polls + 2);
    fake.pushText(siti, 'pesan baru');
    await waitUntil(() => recorder.stored.length === 1);
    await sleep(100);
    expect(recorder.stored.map((message) => message.text)).toEqual(['pesan baru']);
  });

  it('retries a failing store and moves the cursor only once it is stored', async () => {
    const store = newStore();
    let failuresLeft = 4;
    let threadId = '';
    const cursorsSeenWhileFailing: unknown[] = [];
    const channel = started.track(fakeChannel(fake, store));
    const recorder = recordingContext(async () => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        cursorsSeenWhileFailing.push(savedCursor(store, threadId));
        throw new Error('database unavailable');
      }
    });
    await channel.start(recorder.ctx);
    const item = fake.pushText(siti, 'tolong dibantu');
    threadId = item.threadId;
    const later = fake.pushText(siti, 'pesan kedua');

    await waitUntil(() => recorder.stored.length === 2);
    // Four failures span two polls (three tries each); the second message never overtook the first.
    expect(recorder.attempts.map((message) => message.text)).toEqual([
      'tolong dibantu',
      'tolong dibantu',
      'tolong dibantu',
      'tolong dibantu',
      'tolong dibantu',
      'pesan kedua',
    ]);
    expect(cursorsSeenWhileFailing.every((cursor) => cursor === undefined)).toBe(true);
    await waitUntil(() => savedCursor(store, threadId)?.itemId === later.itemId);
  });

  it('skips its own messages: replies sent through Loket and texts typed in the app', async () => {
    const { channel, recorder } = await connectedChannel();
    const question = fake.pushText(siti, 'jam buka?');
    await waitUntil(() => recorder.stored.length === 1);
    await channel.send(
      { channel: 'instagram', externalThreadId: question.threadId },
      { text: 'Buka pukul 08.00' },
    );
    fake.pushOwnText(question.threadId, 'Halo, ada yang bisa dibantu?');
    const answer = fake.pushText(siti, 'terima kasih');
    await waitUntil(() => recorder.stored.length === 2);
    await sleep(100);
    expect(recorder.attempts.map((message) => message.externalMessageId)).toEqual([
      question.itemId,
      answer.itemId,
    ]);
    expect(recorder.rejected).toEqual([]);
  });

  it('reports unsupported items and group chats, and moves past them', async () => {
    const { recorder } = await connectedChannel();
    const gif = fake.pushItem(siti, 'animated_media', {
      animated_media: { images: { fixed_height: { url: `${fake.apiRoot}v/gif.webp` } }, is_sticker: true },
    });
    const group = fake.addThread({ with: [siti, budi] });
    const groupItem = fake.pushText(group, 'halo grup', { from: budi });
    const after = fake.pushText(siti, 'pesan biasa');
    await waitUntil(() => recorder.stored.length === 1 && recorder.rejected.length === 2);
    expect(recorder.stored[0]?.externalMessageId).toBe(after.itemId);
    expect(recorder.rejected).toEqual(
      expect.arrayContaining([
        {
          reason: 'unsupported_item',
          detail: { itemType: 'animated_media', itemId: gif.itemId, threadId: gif.threadId },
        },
        { reason: 'group_thread', detail: { itemType: 'text', itemId: groupItem.itemId, threadId: group } },
      ]),
    );
    const polls = fake.inboxCalls;
    await waitUntil(() => fake.inboxCalls >= polls + 2);
    expect(recorder.rejected).toHaveLength(2);
  });

  it('turns shares, story replies, likes, videos and voice notes into messages', async () => {
    const { recorder } = await connectedChannel();
    fake.pushMediaShare(siti, { code: 'CxYz123AbC', owner: { pk: '25025320', username: 'pemkot.bandung' } });
    fake.pushMediaShare(siti, { code: 'DZfwtaiob79', kind: 'clip' });
    fake.pushStoryShare(siti, { owner: budi, expired: true });
    fake.pushStoryReply(siti, 'Sabtu buka?');
    fake.pushLike(siti);
    const video = fake.pushVideo(siti, new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]));
    fake.pushVoice(siti, new Uint8Array([1, 2, 3, 4]));
    await waitUntil(() => recorder.stored.length === 7);
    const texts = recorder.stored.map((message) => message.text);
    expect(texts.slice(0, 5)).toEqual([
      'Membagikan kiriman dari @pemkot.bandung: https://www.instagram.com/p/CxYz123AbC/',
      'Membagikan reel dari @instagram: https://www.instagram.com/p/DZfwtaiob79/',
      'Membagikan story yang sudah tidak tersedia.',
      expect.stringMatching(
        /^Sabtu buka\?\n\n\(Membalas story https:\/\/www\.instagram\.com\/stories\/kelurahan\.mekarjaya\/\d+\/\)$/,
      ),
      '❤️',
    ]);
    const [videoMessage, voiceMessage] = recorder.stored.slice(5);
    expect(videoMessage?.externalMessageId).toBe(video.itemId);
    expect(videoMessage?.attachments[0]).toMatchObject({ kind: 'video', mime: 'video/mp4' });
    await expect(videoMessage?.attachments[0]?.fetch(1000)).resolves.toHaveLength(8);
    expect(voiceMessage?.attachments[0]).toMatchObject({ kind: 'audio' });
    await expect(voiceMessage?.attachments[0]?.fetch(1000)).resolves.toEqual(new Uint8Array([1, 2, 3, 4]));
  });
});
