import type { AttachmentKind, InboundAttachment, InboundMessage } from '@loket/core';
import type { MediaFetcher, WebhookItem } from '../types.ts';
import type { IgAttachment, IgEntry, IgEvent, IgMessage } from './payload.ts';

/** Downloads an Instagram CDN URL (no token needed); built once per adapter. */
export type UrlFetcherFor = (url: string) => MediaFetcher;

const MEDIA_KINDS: Record<string, AttachmentKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
};

/** Attachments Instagram gives as a link to content on Instagram rather than as a file. */
const LINK_LABELS: Record<string, string> = {
  share: 'Shared a post',
  story_mention: 'Mentioned us in a story',
  ig_reel: 'Shared a reel',
  reel: 'Shared a reel',
  ig_post: 'Shared a post',
};

const FALLBACK_MIME: Record<AttachmentKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/mp4',
  document: 'application/octet-stream',
  sticker: 'image/webp',
};

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  pdf: 'application/pdf',
};

const rejected = (reason: string, detail: Record<string, unknown>): WebhookItem => ({
  kind: 'rejected',
  reason,
  detail,
});

/**
 * A field that becomes stored text, if it is text. A signed body can hold anything, and a number or
 * an object that reached the database would fail the store (500): Meta would redeliver it forever.
 */
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function isHttpUrl(value: string | undefined): value is string {
  return typeof value === 'string' && /^https?:\/\/\S+$/.test(value);
}

/** The name a sender gets until (or unless) the profile lookup answers. */
export function fallbackDisplayName(igsid: string): string {
  return `Instagram ${igsid.slice(-4)}`;
}

/** The file name and MIME type the URL's path suggests; Instagram's CDN names no type otherwise. */
function describeUrl(url: string, kind: AttachmentKind): { mime: string; name?: string } {
  let last = '';
  try {
    last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  } catch {
    // An odd URL still downloads; it just gets the fallback type.
  }
  const extension = /\.([A-Za-z0-9]{2,5})$/.exec(last)?.[1]?.toLowerCase();
  const mime = (extension && MIME_BY_EXTENSION[extension]) || FALLBACK_MIME[kind];
  return extension ? { mime, name: last } : { mime };
}

function readAttachments(
  attachments: IgAttachment[],
  fetcherFor: UrlFetcherFor,
): { files: InboundAttachment[]; lines: string[] } {
  const files: InboundAttachment[] = [];
  const lines: string[] = [];
  for (const attachment of attachments) {
    const type = attachment?.type ?? '';
    const url = attachment?.payload?.url;
    const kind = MEDIA_KINDS[type];
    if (kind && isHttpUrl(url)) {
      files.push({ kind, ...describeUrl(url, kind), fetch: fetcherFor(url) });
      continue;
    }
    const label = LINK_LABELS[type];
    if (label) lines.push(isHttpUrl(url) ? `${label}: ${url}` : label);
  }
  return { files, lines };
}

function baseMessage(event: IgEvent, igsid: string, receivedAt: Date) {
  const timestamp = Number(event.timestamp);
  const sentAt = new Date(timestamp);
  return {
    channel: 'instagram-graph' as const,
    externalUserId: igsid,
    externalThreadId: igsid,
    displayName: fallbackDisplayName(igsid),
    // An invalid Date (NaN, or past the year 275760) would fail the store.
    sentAt: sentAt.getTime() > 0 ? sentAt : receivedAt,
  };
}

function fromMessage(
  event: IgEvent,
  message: IgMessage,
  igsid: string,
  fetcherFor: UrlFetcherFor,
  receivedAt: Date,
): WebhookItem {
  const mid = str(message.mid);
  if (message.is_echo) return { kind: 'ignored', reason: 'echo', detail: { mid } };
  if (!mid) return rejected('malformed-message', { missing: 'mid' });
  if (message.is_deleted) return rejected('message-deleted', { mid });
  if (message.is_unsupported) return rejected('unsupported-message', { mid });

  const { files, lines } = readAttachments(
    Array.isArray(message.attachments) ? message.attachments : [],
    fetcherFor,
  );
  const story = message.reply_to?.story?.url;
  if (isHttpUrl(story)) lines.push(`Replied to our story: ${story}`);
  // A quick reply's text already is the option's title; its payload is ours and not shown.
  const text = [str(message.text) ?? '', ...lines].filter((part) => part !== '').join('\n');
  if (text === '' && files.length === 0) {
    return rejected('unsupported-message', {
      mid,
      attachmentTypes: message.attachments?.map((a) => a?.type),
    });
  }
  const referralCode = str(message.referral?.ref) ?? str(event.referral?.ref);
  const normalized: InboundMessage = {
    ...baseMessage(event, igsid, receivedAt),
    externalMessageId: mid,
    text,
    attachments: files,
    ...(referralCode ? { referralCode } : {}),
  };
  return { kind: 'message', message: normalized };
}

/**
 * One `messaging[]` event: a message, a postback (icebreaker or button), a referral on its own (the
 * citizen opened the chat through an ig.me link and has not written yet), or something not taken in.
 */
export function normalizeInstagramEvent(
  event: IgEvent,
  fetcherFor: UrlFetcherFor,
  receivedAt: Date,
): WebhookItem {
  if (event?.message?.is_echo) return { kind: 'ignored', reason: 'echo', detail: { mid: event.message.mid } };
  const igsid = str(event?.sender?.id);
  if (!igsid) return rejected('malformed-event', { missing: 'sender.id' });
  if (event.message) return fromMessage(event, event.message, igsid, fetcherFor, receivedAt);

  if (event.postback) {
    const { postback } = event;
    const title = str(postback.title);
    if (!title) return rejected('malformed-postback', { mid: postback.mid });
    // Icebreakers carry no mid on some versions; the sender and time identify the tap just as stably.
    const mid = str(postback.mid) ?? `postback:${igsid}:${event.timestamp}`;
    const referralCode = str(postback.referral?.ref) ?? str(event.referral?.ref);
    const normalized: InboundMessage = {
      ...baseMessage(event, igsid, receivedAt),
      externalMessageId: mid,
      text: title,
      attachments: [],
      ...(referralCode ? { referralCode } : {}),
    };
    return { kind: 'message', message: normalized };
  }
  if (event.referral) {
    const referralCode = str(event.referral.ref)?.trim();
    if (!referralCode) return rejected('referral-without-ref', { source: event.referral.source });
    const { displayName, sentAt } = baseMessage(event, igsid, receivedAt);
    return {
      kind: 'referral',
      referral: { channel: 'instagram-graph', externalUserId: igsid, displayName, referralCode, sentAt },
    };
  }
  const readMid = str(event.read?.mid);
  if (readMid) {
    // The citizen saw our messages up to this one; it is ours when it is the last piece of a reply.
    const readAt = new Date(Number(event.timestamp));
    const at = typeof event.timestamp === 'number' && readAt.getTime() > 0 ? readAt : receivedAt;
    return { kind: 'receipt', receipt: { externalMessageId: readMid, status: 'read', at } };
  }
  if (event.read) return rejected('read', {});
  if (event.reaction) return rejected('reaction', { mid: event.reaction.mid, action: event.reaction.action });
  if (event.message_edit) return rejected('message-edit', { mid: event.message_edit.mid });
  return rejected('unsupported-event', { keys: Object.keys(event).filter((key) => key !== 'sender') });
}

/** Every item of an `instagram` payload, in order, for the configured account only. */
export function collectInstagramItems(
  entries: unknown[],
  options: { accountId: string; fetcherFor: UrlFetcherFor; receivedAt?: Date },
): WebhookItem[] {
  const receivedAt = options.receivedAt ?? new Date();
  const items: WebhookItem[] = [];
  for (const entry of entries as IgEntry[]) {
    if (entry?.id !== options.accountId) {
      items.push(rejected('wrong-account', { accountId: entry?.id }));
      continue;
    }
    if (Array.isArray(entry.changes)) {
      for (const change of entry.changes) items.push(rejected('unsupported-field', { field: change?.field }));
    }
    for (const event of Array.isArray(entry.messaging) ? entry.messaging : []) {
      try {
        items.push(normalizeInstagramEvent(event, options.fetcherFor, receivedAt));
      } catch {
        items.push(rejected('malformed-event', {}));
      }
    }
  }
  return items;
}
