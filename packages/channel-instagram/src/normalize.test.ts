import { describe, expect, it, vi } from 'vitest';
import { normalizeItem } from './normalize.ts';
import type { IgDirectItem, IgDirectThread, MediaFetcher, NormalizedItem } from './types.ts';

const OWN_PK = '48291735016';
const SITI_PK = 51234567890;
const THREAD_ID = '340282366841710300949128132093642477303';

/** Items as instagram-private-api hands them over: json-bigint made the 16-digit timestamp a string. */
function item(fields: Partial<IgDirectItem> & Pick<IgDirectItem, 'item_type'>): IgDirectItem {
  return {
    item_id: '30074058301494429533411605882077184',
    user_id: SITI_PK,
    timestamp: '1630317967296799',
    client_context: '6838049163048278514',
    ...fields,
  } as IgDirectItem;
}

const thread: IgDirectThread = {
  thread_id: THREAD_ID,
  users: [{ pk: SITI_PK, username: 'siti.rahayu', full_name: 'Siti Rahayu' }],
  is_group: false,
};

const fetchMedia = vi.fn<MediaFetcher>(async () => new Uint8Array([1, 2, 3]));

function normalize(raw: IgDirectItem, inThread: IgDirectThread = thread): NormalizedItem {
  return normalizeItem(raw, inThread, { ownPk: OWN_PK, fetchMedia });
}

function message(raw: IgDirectItem, inThread?: IgDirectThread) {
  const outcome = normalize(raw, inThread);
  if (outcome.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(outcome)}`);
  return outcome.message;
}

describe('normalizeItem', () => {
  it('turns a text item into an InboundMessage with the sender from the thread', () => {
    const result = message(item({ item_type: 'text', text: 'Selamat pagi, mau tanya syarat KTP' }));
    expect(result).toEqual({
      channel: 'instagram',
      externalMessageId: '30074058301494429533411605882077184',
      externalUserId: String(SITI_PK),
      externalThreadId: THREAD_ID,
      displayName: 'Siti Rahayu',
      handle: 'siti.rahayu',
      sentAt: new Date(1630317967296),
      text: 'Selamat pagi, mau tanya syarat KTP',
      attachments: [],
    });
  });

  it('reads a timestamp and a pk that arrive as numbers, and a pk beyond 2^53 that arrives as a string', () => {
    const bigPk = '63124587945612378';
    const result = message(
      item({ item_type: 'text', text: 'halo', timestamp: 1630317967296799, user_id: bigPk }),
      { thread_id: THREAD_ID, users: [{ pk: bigPk, username: 'budi_s', full_name: '' }] },
    );
    expect(result.externalUserId).toBe(bigPk);
    expect(result.sentAt.getTime()).toBe(1630317967296);
    // No full name: the username stands in.
    expect(result.displayName).toBe('budi_s');
  });

  it('finds the sender of a message request in `inviter` when `users` lacks them', () => {
    const result = message(item({ item_type: 'text', text: 'permisi' }), {
      thread_id: THREAD_ID,
      users: [],
      inviter: { pk: SITI_PK, username: 'siti.rahayu', full_name: 'Siti R.' },
    });
    expect(result.displayName).toBe('Siti R.');
  });

  it('takes the text of a link item', () => {
    const result = message(
      item({
        item_type: 'link',
        link: {
          text: 'ini formulirnya https://disdukcapil.example.go.id/form',
          link_context: { link_url: 'https://disdukcapil.example.go.id/form' },
        },
      }),
    );
    expect(result.text).toBe('ini formulirnya https://disdukcapil.example.go.id/form');
  });

  it('turns a photo into an image attachment that fetches the largest candidate', async () => {
    fetchMedia.mockClear();
    const result = message(
      item({
        item_type: 'media',
        media: {
          id: '2651622788192012326',
          media_type: 1,
          image_versions2: {
            candidates: [
              { width: 320, height: 320, url: 'https://scontent.cdninstagram.com/v/s320x320/x_n.jpg' },
              { width: 1080, height: 1080, url: 'https://scontent.cdninstagram.com/v/x_n.jpg' },
              { width: 480, height: 480, url: 'https://scontent.cdninstagram.com/v/s480x480/x_n.jpg' },
            ],
          },
        },
      }),
    );
    expect(result.text).toBe('');
    expect(result.attachments).toHaveLength(1);
    const [photo] = result.attachments;
    expect(photo).toMatchObject({ kind: 'image', mime: 'image/jpeg', name: expect.stringMatching(/\.jpg$/) });
    await expect(photo?.fetch(5000)).resolves.toEqual(new Uint8Array([1, 2, 3]));
    expect(fetchMedia).toHaveBeenCalledWith('https://scontent.cdninstagram.com/v/x_n.jpg', 5000);
  });

  it('turns a video into a video attachment and a voice note into an audio one', async () => {
    fetchMedia.mockClear();
    const video = message(
      item({
        item_type: 'media',
        media: {
          media_type: 2,
          video_versions: [
            { type: 103, width: 240, height: 426, url: 'https://cdn/v/small.mp4' },
            { type: 101, width: 480, height: 854, url: 'https://cdn/v/big.mp4' },
          ],
        },
      }),
    );
    expect(video.attachments[0]).toMatchObject({ kind: 'video', mime: 'video/mp4' });
    await video.attachments[0]?.fetch(100);
    expect(fetchMedia).toHaveBeenLastCalledWith('https://cdn/v/big.mp4', 100);

    const voice = message(
      item({
        item_type: 'voice_media',
        voice_media: { media: { audio: { audio_src: 'https://cdn/a/v.m4a', duration: 4210 } } },
      }),
    );
    expect(voice.attachments[0]).toMatchObject({ kind: 'audio', mime: 'audio/mp4' });
  });

  it('turns shared posts, reels and IGTV videos into a line with their public address', () => {
    const owner = { pk: 25025320, username: 'pemkot.bandung' };
    expect(
      message(
        item({ item_type: 'media_share', media_share: { code: 'CxYz123AbC', media_type: 1, user: owner } }),
      ).text,
    ).toBe('Membagikan kiriman dari @pemkot.bandung: https://www.instagram.com/p/CxYz123AbC/');
    expect(
      message(item({ item_type: 'clip', clip: { clip: { code: 'DZfwtaiob79', media_type: 2 } } })).text,
    ).toBe('Membagikan reel: https://www.instagram.com/p/DZfwtaiob79/');
    expect(
      message(item({ item_type: 'felix_share', felix_share: { video: { code: 'B9tv', user: owner } } })).text,
    ).toBe('Membagikan video IGTV dari @pemkot.bandung: https://www.instagram.com/p/B9tv/');
    expect(message(item({ item_type: 'media_share', media_share: {} })).text).toBe(
      'Membagikan kiriman Instagram yang tidak tersedia.',
    );
  });

  it('links a shared story by owner and pk, and says so when it has expired', () => {
    const shared = message(
      item({
        item_type: 'story_share',
        story_share: {
          media: {
            pk: '3396139282436016699',
            id: '3396139282436016699_25025320',
            user: { pk: 1, username: 'kecamatan' },
          },
          text: 'ini infonya benar?',
        },
      }),
    );
    expect(shared.text).toBe(
      'ini infonya benar?\n\nMembagikan story dari @kecamatan: https://www.instagram.com/stories/kecamatan/3396139282436016699/',
    );
    const expired = message(
      item({ item_type: 'story_share', story_share: { title: 'No longer available', message: 'expired' } }),
    );
    expect(expired.text).toBe('Membagikan story yang sudah tidak tersedia.');
  });

  it('keeps the words of a story reply first', () => {
    const result = message(
      item({
        item_type: 'reel_share',
        reel_share: {
          text: 'Jam buka hari Sabtu?',
          type: 'reply',
          media: { pk: '3396', user: { pk: OWN_PK, username: 'kelurahan.mekarjaya' } },
        },
      }),
    );
    expect(result.text).toBe(
      'Jam buka hari Sabtu?\n\n(Membalas story https://www.instagram.com/stories/kelurahan.mekarjaya/3396/)',
    );
  });

  it('turns a like (the heart) into ❤️', () => {
    expect(message(item({ item_type: 'like', like: '❤️' })).text).toBe('❤️');
  });

  it("marks the account's own items as own, whatever their type", () => {
    expect(normalize(item({ item_type: 'text', text: 'Baik, kami bantu', user_id: Number(OWN_PK) }))).toEqual(
      {
        kind: 'own',
      },
    );
    expect(normalize(item({ item_type: 'action_log', user_id: OWN_PK }))).toEqual({ kind: 'own' });
  });

  it('skips unsupported item types with identifiers but no content', () => {
    for (const itemType of [
      'animated_media',
      'raven_media',
      'action_log',
      'video_call_event',
      'placeholder',
    ]) {
      expect(normalize(item({ item_type: itemType }))).toEqual({
        kind: 'skipped',
        reason: 'unsupported_item',
        detail: { itemType, itemId: '30074058301494429533411605882077184', threadId: THREAD_ID },
      });
    }
    expect(normalize(item({ item_type: 'media', media: { media_type: 8 } }))).toMatchObject({
      kind: 'skipped',
      reason: 'unsupported_media',
    });
  });

  it('skips group threads, empty texts and items without a usable timestamp', () => {
    const group = { ...thread, is_group: true };
    expect(normalize(item({ item_type: 'text', text: 'halo semua' }), group)).toMatchObject({
      kind: 'skipped',
      reason: 'group_thread',
    });
    expect(normalize(item({ item_type: 'text', text: '   ' }))).toMatchObject({ reason: 'empty_item' });
    expect(normalize(item({ item_type: 'text', text: 'x', timestamp: 'yesterday' }))).toMatchObject({
      reason: 'malformed_item',
    });
  });
});
