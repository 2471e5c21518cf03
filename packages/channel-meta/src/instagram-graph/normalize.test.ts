import { describe, expect, it } from 'vitest';
import { normalizeInstagramEvent, type UrlFetcherFor } from './normalize.ts';
import type { IgEvent } from './payload.ts';

const IGSID = '6543210987654321';
const receivedAt = new Date('2026-03-02T02:00:05Z');
const sentAt = new Date('2026-03-02T02:00:00Z');
const noDownloads: UrlFetcherFor = () => async () => {
  throw new Error('no downloads in this test');
};
const normalize = (event: IgEvent) => normalizeInstagramEvent(event, noDownloads, receivedAt);
const openThread = (ref: unknown) =>
  ({ ref, source: 'SHORTLINKS', type: 'OPEN_THREAD' }) as IgEvent['referral'];

describe('normalizeInstagramEvent: a referral without a message', () => {
  it('becomes a referral item: who opened the chat, through which code, and when', () => {
    const item = normalize({
      sender: { id: IGSID },
      timestamp: sentAt.getTime(),
      referral: openThread('beji--kukusan'),
    });
    expect(item).toEqual({
      kind: 'referral',
      referral: {
        channel: 'instagram-graph',
        externalUserId: IGSID,
        displayName: 'Instagram 4321',
        referralCode: 'beji--kukusan',
        sentAt,
      },
    });
  });

  it('passes any code on (the core decides which are banners), trimmed, and the receipt time for a bad timestamp', () => {
    const item = normalize({
      sender: { id: IGSID },
      timestamp: Number.NaN,
      referral: openThread(' KEL-Beji_07 '),
    });
    expect(item).toMatchObject({
      kind: 'referral',
      referral: { referralCode: 'KEL-Beji_07', sentAt: receivedAt },
    });
  });

  it('rejects a referral with no usable ref, and one with no sender', () => {
    for (const ref of [undefined, '', '   ', 42, { code: 'beji--kukusan' }]) {
      expect(normalize({ sender: { id: IGSID }, timestamp: 1, referral: openThread(ref) })).toEqual({
        kind: 'rejected',
        reason: 'referral-without-ref',
        detail: { source: 'SHORTLINKS' },
      });
    }
    expect(normalize({ timestamp: 1, referral: openThread('beji--kukusan') })).toMatchObject({
      kind: 'rejected',
      reason: 'malformed-event',
    });
  });

  it('still carries a referral that comes with a message on the message itself', () => {
    const item = normalize({
      sender: { id: IGSID },
      timestamp: sentAt.getTime(),
      message: { mid: 'mid.1', text: 'halo' },
      referral: openThread('beji--kukusan'),
    });
    expect(item).toMatchObject({ kind: 'message', message: { text: 'halo', referralCode: 'beji--kukusan' } });
  });
});
