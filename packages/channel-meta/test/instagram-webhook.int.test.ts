import {
  type FakeGraph,
  instagramMessaging,
  instagramWebhook,
  loadMetaFixture,
  META_FIXTURE_IDS,
  recordingContext,
  startFakeGraph,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetaChannel } from '../src/index.ts';
import { BUDI_IGSID, bytes, instagramChannel, SITI_IGSID, signed, VERIFY_TOKEN } from './harness.ts';

let fake: FakeGraph;
let channel: MetaChannel;

beforeEach(async () => {
  fake = await startFakeGraph();
  fake.addInstagramUser(SITI_IGSID, { name: 'Siti Rahayu', username: 'sitirahayu' });
  channel = instagramChannel(fake);
});
afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const webhook = (...messaging: Parameters<typeof instagramWebhook>[0]['messaging']) =>
  instagramWebhook({ accountId: fake.igAccountId, messaging });
const profileLookups = (igsid: string) => fake.requests.filter((r) => r.path === `/v21.0/${igsid}`);

async function started() {
  const recorder = recordingContext();
  await channel.start(recorder.ctx);
  return recorder;
}

describe('Instagram webhook verification and signature', () => {
  it('answers the GET verification', () => {
    expect(
      channel.verifySubscription({ mode: 'subscribe', verifyToken: VERIFY_TOKEN, challenge: 'c-42' }),
    ).toEqual({
      status: 200,
      body: 'c-42',
    });
    expect(channel.verifySubscription({ mode: 'subscribe', verifyToken: 'x', challenge: 'c-42' })).toEqual({
      status: 403,
    });
  });

  it('answers 401 to bad signatures, 400 to another object, 503 when stopped', async () => {
    const payload = webhook(instagramMessaging.text({ from: SITI_IGSID, text: 'halo' }));
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 503 });
    const recorder = await started();
    for (const tamper of ['unsigned', 'signature', 'body'] as const) {
      expect(await channel.handleWebhook(signed(payload, tamper))).toEqual({ status: 401 });
    }
    expect(await channel.handleWebhook(signed({ object: 'whatsapp_business_account', entry: [] }))).toEqual({
      status: 400,
    });
    expect(recorder.attempts).toHaveLength(0);
    expect(profileLookups(SITI_IGSID)).toHaveLength(0);
  });
});

describe('Instagram webhook messages', () => {
  it('normalises the recorded text fixture, named from the profile', async () => {
    const recorder = await started();
    expect(await channel.handleWebhook(signed(loadMetaFixture('instagram-text')))).toEqual({ status: 200 });
    expect(recorder.stored).toEqual([
      {
        channel: 'instagram-graph',
        externalMessageId: expect.stringMatching(/^aWdfZAG1faXRlbT/),
        externalUserId: META_FIXTURE_IDS.citizenIgsid,
        externalThreadId: META_FIXTURE_IDS.citizenIgsid,
        displayName: 'Siti Rahayu',
        handle: 'sitirahayu',
        sentAt: new Date(1740965400987),
        text: 'Halo kak, mau tanya jam buka pelayanan KTP',
        attachments: [],
      },
    ]);
  });

  it('looks a sender up once, and falls back to "Instagram <last 4>" when the lookup fails', async () => {
    const recorder = await started();
    await channel.handleWebhook(signed(webhook(instagramMessaging.text({ from: SITI_IGSID, text: 'satu' }))));
    await channel.handleWebhook(signed(webhook(instagramMessaging.text({ from: SITI_IGSID, text: 'dua' }))));
    expect(profileLookups(SITI_IGSID)).toHaveLength(1);
    expect(profileLookups(SITI_IGSID)[0]?.query).toEqual({ fields: 'name,username' });

    await channel.handleWebhook(signed(webhook(instagramMessaging.text({ from: BUDI_IGSID, text: 'tiga' }))));
    await channel.handleWebhook(
      signed(webhook(instagramMessaging.text({ from: BUDI_IGSID, text: 'empat' }))),
    );
    expect(recorder.stored.map((m) => [m.displayName, m.handle])).toEqual([
      ['Siti Rahayu', 'sitirahayu'],
      ['Siti Rahayu', 'sitirahayu'],
      ['Instagram 1234', undefined],
      ['Instagram 1234', undefined],
    ]);
    // A failed lookup is remembered for a while instead of holding up every message.
    expect(profileLookups(BUDI_IGSID)).toHaveLength(1);
  });

  it('uses @username when the profile has no name', async () => {
    fake.addInstagramUser(BUDI_IGSID, { username: 'budi.s' });
    const recorder = await started();
    await channel.handleWebhook(signed(webhook(instagramMessaging.text({ from: BUDI_IGSID, text: 'x' }))));
    expect(recorder.stored[0]).toMatchObject({ displayName: '@budi.s', handle: 'budi.s' });
  });

  it('takes image, video, audio and file attachments, downloaded without the token', async () => {
    const recorder = await started();
    const photo = bytes(1500, 9);
    const url = fake.addInstagramAttachment(photo, 'image/jpeg', 'IMG_0042.jpg');
    const payload = webhook(
      instagramMessaging.attachment({ from: SITI_IGSID, type: 'image', url }),
      instagramMessaging.attachment({
        from: SITI_IGSID,
        type: 'video',
        url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1',
      }),
      instagramMessaging.attachment({
        from: SITI_IGSID,
        type: 'audio',
        url: 'https://cdn.example/voice.m4a',
      }),
      instagramMessaging.attachment({
        from: SITI_IGSID,
        type: 'file',
        url: 'https://cdn.example/ktp.pdf',
        text: 'KTP saya',
      }),
    );
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    expect(
      recorder.stored.map((m) => m.attachments.map(({ kind, mime, name }) => ({ kind, mime, name }))),
    ).toEqual([
      [{ kind: 'image', mime: 'image/jpeg', name: 'IMG_0042.jpg' }],
      [{ kind: 'video', mime: 'video/mp4', name: undefined }],
      [{ kind: 'audio', mime: 'audio/mp4', name: 'voice.m4a' }],
      [{ kind: 'document', mime: 'application/pdf', name: 'ktp.pdf' }],
    ]);
    expect(recorder.stored[3]?.text).toBe('KTP saya');
    const image = recorder.stored[0]?.attachments[0];
    expect(await image?.fetch(10_000)).toEqual(photo);
    await expect(image?.fetch(1000)).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
    const cdn = fake.requests.filter((r) => r.path.startsWith('/ig_messaging_cdn/'));
    expect(cdn.length).toBeGreaterThan(0);
    expect(cdn.every((r) => r.authorization === undefined)).toBe(true);
  });

  it('turns shares, reels, story mentions and story replies into text with the link', async () => {
    const recorder = await started();
    const payload = webhook(
      instagramMessaging.share({ from: SITI_IGSID, url: 'https://www.instagram.com/p/C4xyz/' }),
      instagramMessaging.share({
        from: SITI_IGSID,
        type: 'ig_reel',
        url: 'https://www.instagram.com/reel/C5abc/',
      }),
      instagramMessaging.share({
        from: SITI_IGSID,
        type: 'story_mention',
        url: 'https://lookaside.fbsbx.com/story/1',
      }),
      instagramMessaging.storyReply({
        from: SITI_IGSID,
        text: 'Ini jam berapa?',
        storyUrl: 'https://lookaside.fbsbx.com/story/2',
      }),
    );
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    expect(recorder.stored.map((m) => m.text)).toEqual([
      'Shared a post: https://www.instagram.com/p/C4xyz/',
      'Shared a reel: https://www.instagram.com/reel/C5abc/',
      'Mentioned us in a story: https://lookaside.fbsbx.com/story/1',
      'Ini jam berapa?\nReplied to our story: https://lookaside.fbsbx.com/story/2',
    ]);
    expect(recorder.stored.every((m) => m.attachments.length === 0)).toBe(true);
  });

  it('skips our own echoes silently', async () => {
    const recorder = await started();
    const payload = webhook(instagramMessaging.echo({ to: SITI_IGSID, text: 'Balasan petugas' }));
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    expect(recorder.attempts).toHaveLength(0);
    expect(recorder.rejected).toHaveLength(0);
  });

  it('carries an ig.me referral code on a message and on an icebreaker postback', async () => {
    const recorder = await started();
    const payload = webhook(instagramMessaging.text({ from: SITI_IGSID, text: 'halo', ref: 'KEL-Beji_07' }));
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    expect(await channel.handleWebhook(signed(loadMetaFixture('instagram-postback-referral')))).toEqual({
      status: 200,
    });
    expect(recorder.stored).toMatchObject([
      { text: 'halo', referralCode: 'KEL-Beji_07' },
      {
        text: 'Syarat membuat KTP',
        referralCode: 'KEL-Beji_07',
        externalMessageId: expect.stringMatching(/^aWdf/),
        displayName: 'Siti Rahayu',
      },
    ]);
  });

  it('takes a postback title as text, and a quick reply as its text', async () => {
    const recorder = await started();
    const payload = webhook(
      instagramMessaging.postback({ from: SITI_IGSID, title: 'Layanan KK', payload: 'SVC_KK' }),
      instagramMessaging.text({ from: SITI_IGSID, text: 'Akta kelahiran', quickReplyPayload: 'SVC_AKTA' }),
    );
    await channel.handleWebhook(signed(payload));
    expect(recorder.stored.map((m) => [m.text, m.referralCode])).toEqual([
      ['Layanan KK', undefined],
      ['Akta kelahiran', undefined],
    ]);
  });

  it('hands over a read as a receipt and a referral without a message as a referral; rejects reactions, deletions and another account', async () => {
    const recorder = await started();
    const payload = webhook(
      instagramMessaging.referral({ from: SITI_IGSID, ref: 'KEL-Beji_07' }),
      instagramMessaging.read({ from: SITI_IGSID, readMid: 'mid.read' }),
      instagramMessaging.reaction({ from: SITI_IGSID, reactedMid: 'mid.ours', emoji: '❤️' }),
      instagramMessaging.deleted({ from: SITI_IGSID, mid: 'mid.gone' }),
    );
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    const other = instagramWebhook({
      accountId: '17841400000000001',
      messaging: [instagramMessaging.text({ from: SITI_IGSID, text: 'bukan untuk kita' })],
    });
    expect(await channel.handleWebhook(signed(other))).toEqual({ status: 200 });
    expect(recorder.attempts).toHaveLength(0);
    expect(recorder.receipts).toEqual([
      { externalMessageId: 'mid.read', status: 'read', at: expect.any(Date) },
    ]);
    expect(recorder.referrals).toEqual([
      {
        channel: 'instagram-graph',
        externalUserId: SITI_IGSID,
        displayName: 'Siti Rahayu',
        handle: 'sitirahayu',
        referralCode: 'KEL-Beji_07',
        sentAt: expect.any(Date),
      },
    ]);
    expect(recorder.rejected).toEqual([
      { reason: 'reaction', detail: { mid: 'mid.ours', action: 'react' } },
      { reason: 'message-deleted', detail: { mid: 'mid.gone' } },
      { reason: 'wrong-account', detail: { accountId: '17841400000000001' } },
    ]);
  });

  it('answers 500 when keeping a referral fails, so Meta delivers it again', async () => {
    const recorder = await started();
    let failing = true;
    recorder.ctx.onReferral = async (referral) => {
      if (failing) throw new Error('database down');
      recorder.referrals.push(referral);
    };
    const delivery = signed(webhook(instagramMessaging.referral({ from: SITI_IGSID, ref: 'beji--kukusan' })));
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 500 });
    failing = false;
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 200 });
    expect(recorder.referrals.map((r) => r.referralCode)).toEqual(['beji--kukusan']);
    expect(recorder.attempts).toHaveLength(0);
  });

  it('answers 500 when storing fails, and a redelivery carries the same mid', async () => {
    let failing = true;
    const recorder = recordingContext(async () => {
      if (failing) throw new Error('database down');
    });
    await channel.start(recorder.ctx);
    const delivery = signed(webhook(instagramMessaging.text({ from: SITI_IGSID, text: 'halo' })));
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 500 });
    failing = false;
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 200 });
    expect(recorder.attempts).toHaveLength(2);
    expect(recorder.attempts[0]).toEqual(recorder.attempts[1]);
  });
});
