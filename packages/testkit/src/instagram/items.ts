import { randomInt } from 'node:crypto';
import type { FakeInstagramUser } from './threads.ts';
import { RawNumber } from './wire.ts';

/** The fields of a direct item beyond the ones every item has (id, sender, timestamp, type). */
export type ItemContent = { itemType: string; fields: Record<string, unknown> };

export type UserWire = (user: FakeInstagramUser) => Record<string, unknown>;

/** Media ids are 19-digit numbers; as `<pk>_<owner pk>` they name a post. */
export function newMediaPk(): string {
  return `3${String(randomInt(100_000_000, 999_999_999))}${String(randomInt(100_000_000, 999_999_999))}`;
}

/** A CDN address shaped like scontent's, signed query and all (the fake does not check the signature). */
export function cdnPath(mediaPk: string, extension: 'jpg' | 'mp4' | 'm4a', variant = ''): string {
  const kind = extension === 'jpg' ? 't51.2885-15' : extension === 'mp4' ? 't50.2886-16' : 't39.12897-6';
  return `v/${kind}/${mediaPk}${variant}_n.${extension}`;
}

export function cdnQuery(): string {
  return `?stp=dst-jpg_e35&_nc_ht=cdn.fake&_nc_cat=105&oh=00_${randomInt(1e9, 9e9)}&oe=6732F50E`;
}

export function textContent(text: string): ItemContent {
  return { itemType: 'text', fields: { text } };
}

export function linkContent(text: string, url: string): ItemContent {
  return {
    itemType: 'link',
    fields: {
      link: {
        text,
        link_context: { link_url: url, link_title: '', link_summary: '', link_image_url: '' },
        client_context: String(randomInt(1e9, 9e9)),
        mutation_token: String(randomInt(1e9, 9e9)),
      },
    },
  };
}

export function photoContent(
  mediaPk: string,
  urls: { full: string; thumbnail: string },
  size: { width: number; height: number },
): ItemContent {
  return {
    itemType: 'media',
    fields: {
      media: {
        id: new RawNumber(mediaPk),
        media_type: 1,
        image_versions2: {
          candidates: [
            { width: 320, height: Math.round((320 * size.height) / size.width), url: urls.thumbnail },
            { width: size.width, height: size.height, url: urls.full },
          ],
        },
        original_width: size.width,
        original_height: size.height,
        organic_tracking_token: 'eyJ2ZXJzaW9uIjo1fQ==',
      },
    },
  };
}

export function videoContent(mediaPk: string, url: string, posterUrl: string): ItemContent {
  return {
    itemType: 'media',
    fields: {
      media: {
        id: new RawNumber(mediaPk),
        media_type: 2,
        video_versions: [
          { type: 101, width: 480, height: 854, url, id: `${mediaPk}v` },
          { type: 103, width: 240, height: 426, url: `${url}&small=1`, id: `${mediaPk}s` },
        ],
        image_versions2: { candidates: [{ width: 480, height: 854, url: posterUrl }] },
        original_width: 480,
        original_height: 854,
        video_duration: 7.5,
      },
    },
  };
}

export function voiceContent(mediaPk: string, url: string): ItemContent {
  return {
    itemType: 'voice_media',
    fields: {
      voice_media: {
        media: {
          id: `${mediaPk}_0`,
          media_type: 11,
          audio: {
            audio_src: url,
            duration: 4210,
            waveform_data: [0.1, 0.4, 0.8, 0.5, 0.2],
            waveform_sampling_frequency_hz: 10,
          },
        },
        seen_user_ids: [],
        view_mode: 'permanent',
        seen_count: 0,
        replay_expiring_at_us: null,
      },
    },
  };
}

export type SharedMediaKind = 'media_share' | 'clip' | 'felix_share';

/** A post, reel or IGTV video shared into the chat; each nests the post differently. */
export function sharedMediaContent(
  kind: SharedMediaKind,
  share: { code: string; owner: FakeInstagramUser; caption?: string },
  userWire: UserWire,
): ItemContent {
  const pk = newMediaPk();
  const media = {
    pk: new RawNumber(pk),
    id: `${pk}_${share.owner.pk}`,
    code: share.code,
    media_type: kind === 'media_share' ? 1 : 2,
    user: userWire(share.owner),
    caption: share.caption === undefined ? null : { text: share.caption },
  };
  if (kind === 'clip') return { itemType: 'clip', fields: { clip: { clip: media } } };
  if (kind === 'felix_share') return { itemType: 'felix_share', fields: { felix_share: { video: media } } };
  return { itemType: 'media_share', fields: { media_share: media } };
}

/** A story shared into the chat. After 24 hours Instagram sends it without `media`. */
export function storyShareContent(
  share: { owner: FakeInstagramUser; expired?: boolean },
  userWire: UserWire,
): ItemContent {
  if (share.expired) {
    return {
      itemType: 'story_share',
      fields: {
        story_share: {
          text: '',
          title: 'No longer available',
          message: "This story is unavailable because it's expired.",
          reason: 2,
          is_linked: false,
        },
      },
    };
  }
  const pk = newMediaPk();
  return {
    itemType: 'story_share',
    fields: {
      story_share: {
        media: {
          pk: new RawNumber(pk),
          id: `${pk}_${share.owner.pk}`,
          media_type: 1,
          user: userWire(share.owner),
        },
        text: '',
        reel_type: 'user_reel',
        is_reel_persisted: false,
      },
    },
  };
}

/** A reply to one of the account's stories: the citizen's words are in `reel_share.text`. */
export function storyReplyContent(text: string, owner: FakeInstagramUser, userWire: UserWire): ItemContent {
  const pk = newMediaPk();
  return {
    itemType: 'reel_share',
    fields: {
      reel_share: {
        text,
        type: 'reply',
        reel_owner_id: new RawNumber(owner.pk),
        is_reel_persisted: false,
        reel_type: 'user_reel',
        media: { pk: new RawNumber(pk), id: `${pk}_${owner.pk}`, media_type: 1, user: userWire(owner) },
      },
    },
  };
}

export function likeContent(): ItemContent {
  return { itemType: 'like', fields: { like: '❤️' } };
}
