import type { InboundAttachment, InboundMessage } from '@loket/core';
import { microsToDate, positionOf } from './cursor.ts';
import type {
  IgDirectItem,
  IgDirectThread,
  IgImageCandidate,
  IgMedia,
  IgUser,
  MediaFetcher,
  NormalizedItem,
  SkippedItem,
} from './types.ts';

export const INSTAGRAM_WEB = 'https://www.instagram.com/';

export type NormalizeContext = {
  /** The logged-in account's pk: its own items are the office's replies, not citizen messages. */
  ownPk: string;
  fetchMedia: MediaFetcher;
};

type Content = { text: string; attachments: InboundAttachment[] };

function skipped(
  reason: string,
  item: Pick<IgDirectItem, 'item_id' | 'item_type'>,
  thread: IgDirectThread,
): SkippedItem {
  return {
    kind: 'skipped',
    reason,
    detail: { itemType: item.item_type, itemId: item.item_id, threadId: thread.thread_id },
  };
}

function area(candidate: { width?: number; height?: number }): number {
  return (candidate.width ?? 0) * (candidate.height ?? 0);
}

/** The largest rendition; Instagram lists them in no promised order. */
export function bestCandidate<T extends { url: string; width?: number; height?: number }>(
  candidates: T[] | undefined,
): T | undefined {
  let best: T | undefined;
  for (const candidate of candidates ?? []) {
    if (typeof candidate?.url !== 'string' || candidate.url === '') continue;
    if (!best || area(candidate) > area(best)) best = candidate;
  }
  return best;
}

function attachment(
  kind: InboundAttachment['kind'],
  mime: string,
  name: string,
  url: string,
  fetchMedia: MediaFetcher,
): InboundAttachment {
  return { kind, mime, name, fetch: (maxBytes) => fetchMedia(url, maxBytes) };
}

function mediaContent(item: IgDirectItem, fetchMedia: MediaFetcher): Content | undefined {
  const media = item.media;
  if (media?.media_type === 1) {
    const image = bestCandidate<IgImageCandidate>(media.image_versions2?.candidates);
    if (!image) return undefined;
    const photo = attachment('image', 'image/jpeg', `instagram-${item.item_id}.jpg`, image.url, fetchMedia);
    return { text: '', attachments: [photo] };
  }
  if (media?.media_type === 2) {
    const video = bestCandidate(media.video_versions);
    if (!video) return undefined;
    const clip = attachment('video', 'video/mp4', `instagram-${item.item_id}.mp4`, video.url, fetchMedia);
    return { text: '', attachments: [clip] };
  }
  return undefined;
}

function voiceContent(item: IgDirectItem, fetchMedia: MediaFetcher): Content | undefined {
  const url = item.voice_media?.media?.audio?.audio_src;
  if (!url) return undefined;
  const voice = attachment('audio', 'audio/mp4', `instagram-${item.item_id}.m4a`, url, fetchMedia);
  return { text: '', attachments: [voice] };
}

function owner(media: IgMedia | undefined): string {
  return media?.user?.username ? ` dari @${media.user.username}` : '';
}

/** A shared post, reel or IGTV video becomes a line naming it and its public address. */
function sharedPost(label: string, media: IgMedia | undefined): Content {
  if (!media?.code) return { text: `Membagikan ${label} Instagram yang tidak tersedia.`, attachments: [] };
  return { text: `Membagikan ${label}${owner(media)}: ${INSTAGRAM_WEB}p/${media.code}/`, attachments: [] };
}

function storyAddress(media: IgMedia | undefined): string | undefined {
  const username = media?.user?.username;
  const pk = media?.pk ?? String(media?.id ?? '').split('_')[0];
  if (!username || pk === undefined || pk === '') return undefined;
  return `${INSTAGRAM_WEB}stories/${username}/${pk}/`;
}

function storyShare(item: IgDirectItem): Content {
  const share = item.story_share;
  const address = storyAddress(share?.media);
  const line = address
    ? `Membagikan story${owner(share?.media)}: ${address}`
    : 'Membagikan story yang sudah tidak tersedia.';
  const words = share?.text?.trim();
  return { text: words ? `${words}\n\n${line}` : line, attachments: [] };
}

/** A reply to (or mention in, or reaction to) a story: the citizen's words first, then which story. */
function storyReply(item: IgDirectItem): Content {
  const share = item.reel_share;
  const address = storyAddress(share?.media);
  const where = address ? ` ${address}` : '';
  const label =
    share?.type === 'mention'
      ? `(Menyebut akun ini di story${owner(share.media)}${where})`
      : share?.type === 'reaction'
        ? `(Reaksi untuk story${where})`
        : `(Membalas story${where})`;
  const words = share?.text?.trim();
  return { text: words ? `${words}\n\n${label}` : label, attachments: [] };
}

function contentOf(item: IgDirectItem, fetchMedia: MediaFetcher): Content | undefined {
  switch (item.item_type) {
    case 'text':
      return { text: item.text ?? '', attachments: [] };
    case 'link':
      return { text: item.link?.text ?? item.link?.link_context?.link_url ?? '', attachments: [] };
    case 'like':
      return { text: '❤️', attachments: [] };
    case 'media':
      return mediaContent(item, fetchMedia);
    case 'voice_media':
      return voiceContent(item, fetchMedia);
    case 'media_share':
      return sharedPost('kiriman', item.media_share);
    case 'clip':
      return sharedPost('reel', item.clip?.clip);
    case 'felix_share':
      return sharedPost('video IGTV', item.felix_share?.video);
    case 'story_share':
      return storyShare(item);
    case 'reel_share':
      return storyReply(item);
    default:
      return undefined;
  }
}

function senderOf(thread: IgDirectThread, pk: string): IgUser | undefined {
  const users = [...(thread.users ?? []), ...(thread.inviter ? [thread.inviter] : [])];
  return users.find((user) => String(user.pk) === pk);
}

/**
 * One direct item as an InboundMessage, or why it is not one. Photos, videos and voice notes become
 * attachments fetched from the CDN on demand (a video is evidence an officer may need, so it is not
 * reduced to a link); shared posts, reels and stories become a line with their public address. Items
 * the account sent itself come back as `own`; group threads, unsupported types (GIFs, view-once
 * media, calls, action logs) and empty items as `skipped`.
 */
export function normalizeItem(
  item: IgDirectItem,
  thread: IgDirectThread,
  context: NormalizeContext,
): NormalizedItem {
  const position = positionOf(item);
  if (!position || item.user_id === undefined || item.user_id === null) {
    return skipped('malformed_item', item, thread);
  }
  const senderPk = String(item.user_id);
  if (senderPk === context.ownPk) return { kind: 'own' };
  // The office talks to citizens one to one; a group chat it was added to is not a conversation.
  if (thread.is_group) return skipped('group_thread', item, thread);
  const content = contentOf(item, context.fetchMedia);
  if (!content) {
    const reason = item.item_type === 'media' ? 'unsupported_media' : 'unsupported_item';
    return skipped(reason, item, thread);
  }
  if (content.text.trim() === '' && content.attachments.length === 0) {
    return skipped('empty_item', item, thread);
  }

  const sender = senderOf(thread, senderPk);
  const username = sender?.username?.trim() || undefined;
  const message: InboundMessage = {
    channel: 'instagram',
    externalMessageId: position.itemId,
    externalUserId: senderPk,
    externalThreadId: thread.thread_id,
    displayName: sender?.full_name?.trim() || username || `Instagram ${senderPk}`,
    sentAt: microsToDate(position.timestamp),
    text: content.text,
    attachments: content.attachments,
  };
  if (username) message.handle = username;
  return { kind: 'message', message };
}
