import type {
  AttachmentKind,
  InboundAttachment,
  InboundContactCard,
  InboundLocation,
  InboundMessage,
} from '@loket/core';
import {
  getContentType,
  isJidBroadcast,
  isJidGroup,
  isJidNewsletter,
  isJidStatusBroadcast,
  isLidUser,
  isPnUser,
  jidDecode,
  jidNormalizedUser,
  normalizeMessageContent,
  type proto,
  toNumber,
  type WAMessage,
  type WAMessageKey,
} from '@whiskeysockets/baileys';
import type { MediaFetcher, NormalizedMessage, SkippedMessage } from './types.ts';
import { parseVcard } from './vcard.ts';

export type NormalizeOptions = {
  acceptGroups: boolean;
  fetchMedia: MediaFetcher;
  /** Used when a message carries no timestamp. */
  receivedAt?: Date;
};

/** A protobuf int64: a number, or a Long object when it does not fit a double. */
type LongLike = Parameters<typeof toNumber>[0];

/** The fields of Baileys' media messages this adapter reads. */
type MediaFields = {
  mimetype?: string | null;
  fileLength?: LongLike;
  fileName?: string | null;
  caption?: string | null;
};

const MEDIA_KINDS: Record<string, { kind: AttachmentKind; defaultMime: string }> = {
  imageMessage: { kind: 'image', defaultMime: 'image/jpeg' },
  videoMessage: { kind: 'video', defaultMime: 'video/mp4' },
  audioMessage: { kind: 'audio', defaultMime: 'audio/ogg; codecs=opus' },
  documentMessage: { kind: 'document', defaultMime: 'application/octet-stream' },
  stickerMessage: { kind: 'sticker', defaultMime: 'image/webp' },
};

function skipped(reason: string, detail: Record<string, unknown> = {}): SkippedMessage {
  return { kind: 'skipped', reason, detail };
}

/** The sender as the citizen's identity: LID when known, the phone JID beside it, and the phone. */
export type SenderIdentity = {
  externalUserId: string;
  aliasUserIds: string[];
  phone?: string;
};

/**
 * In Baileys 7 a direct message comes from `…@lid` or from `…@s.whatsapp.net`, and the other form is
 * in `remoteJidAlt` (`participantAlt` in groups) only when the server sent it. The LID keys the
 * citizen when there is one, because WhatsApp is moving every chat to LIDs; the phone JID is kept as
 * an alias, so a contact first seen by phone is still found. Device suffixes are stripped.
 */
export function senderIdentity(key: WAMessageKey): SenderIdentity | undefined {
  const group = isJidGroup(key.remoteJid ?? undefined);
  const primary = group ? key.participant : key.remoteJid;
  const alternative = group ? key.participantAlt : key.remoteJidAlt;
  const jids = [primary, alternative]
    .filter((jid): jid is string => typeof jid === 'string' && jid !== '')
    .map(jidNormalizedUser)
    .filter((jid) => jid !== '');
  const lid = jids.find((jid) => isLidUser(jid));
  const pn = jids.find((jid) => isPnUser(jid));
  const externalUserId = lid ?? pn ?? jids[0];
  if (!externalUserId) return undefined;
  const identity: SenderIdentity = {
    externalUserId,
    aliasUserIds: jids.filter((jid) => jid !== externalUserId),
  };
  const phoneDigits = pn ? jidDecode(pn)?.user : undefined;
  if (phoneDigits) identity.phone = `+${phoneDigits}`;
  return identity;
}

/** Adds a phone JID learned after the message arrived (Baileys' own LID→PN store). */
export function withPhoneJid(message: InboundMessage, pnJid: string): InboundMessage {
  const pn = jidNormalizedUser(pnJid);
  const digits = jidDecode(pn)?.user;
  if (!isPnUser(pn) || !digits || message.phone) return message;
  const aliases = new Set([...(message.aliasUserIds ?? []), pn]);
  aliases.delete(message.externalUserId);
  return { ...message, phone: `+${digits}`, aliasUserIds: [...aliases] };
}

function attachmentOf(
  raw: WAMessage,
  media: MediaFields,
  kind: AttachmentKind,
  defaultMime: string,
  fetchMedia: MediaFetcher,
): InboundAttachment {
  const length = media.fileLength == null ? 0 : toNumber(media.fileLength);
  const size = length > 0 ? length : undefined;
  return {
    kind,
    mime: media.mimetype || defaultMime,
    ...(media.fileName ? { name: media.fileName } : {}),
    ...(size === undefined ? {} : { size }),
    fetch: (maxBytes) => fetchMedia(raw, size, maxBytes),
  };
}

function locationOf(location: proto.Message.ILocationMessage | proto.Message.ILiveLocationMessage) {
  const result: InboundLocation = {
    latitude: location.degreesLatitude ?? 0,
    longitude: location.degreesLongitude ?? 0,
  };
  if ('name' in location && location.name) result.title = location.name;
  if ('address' in location && location.address) result.address = location.address;
  return result;
}

function contactCardOf(contact: proto.Message.IContactMessage): InboundContactCard {
  return parseVcard(contact.vcard ?? '', contact.displayName ?? '');
}

type Content = {
  text: string;
  attachments: InboundAttachment[];
  location?: InboundLocation;
  contacts?: InboundContactCard[];
};

function contentOf(
  raw: WAMessage,
  message: proto.IMessage,
  contentType: string,
  fetchMedia: MediaFetcher,
): Content | undefined {
  if (contentType === 'conversation') return { text: message.conversation ?? '', attachments: [] };
  if (contentType === 'extendedTextMessage') {
    return { text: message.extendedTextMessage?.text ?? '', attachments: [] };
  }
  const media = MEDIA_KINDS[contentType];
  if (media) {
    const fields = message[contentType as keyof proto.IMessage] as MediaFields | null | undefined;
    if (!fields) return undefined;
    return {
      text: fields.caption ?? '',
      attachments: [attachmentOf(raw, fields, media.kind, media.defaultMime, fetchMedia)],
    };
  }
  if (contentType === 'locationMessage' && message.locationMessage) {
    return {
      text: message.locationMessage.comment ?? '',
      attachments: [],
      location: locationOf(message.locationMessage),
    };
  }
  if (contentType === 'liveLocationMessage' && message.liveLocationMessage) {
    return {
      text: message.liveLocationMessage.caption ?? '',
      attachments: [],
      location: locationOf(message.liveLocationMessage),
    };
  }
  if (contentType === 'contactMessage' && message.contactMessage) {
    return { text: '', attachments: [], contacts: [contactCardOf(message.contactMessage)] };
  }
  if (contentType === 'contactsArrayMessage' && message.contactsArrayMessage) {
    const contacts = (message.contactsArrayMessage.contacts ?? []).map(contactCardOf);
    return { text: '', attachments: [], contacts };
  }
  return undefined;
}

function chatKind(remoteJid: string): string | undefined {
  if (isJidStatusBroadcast(remoteJid)) return 'status_broadcast';
  if (isJidNewsletter(remoteJid)) return 'newsletter';
  if (isJidBroadcast(remoteJid)) return 'broadcast';
  if (isJidGroup(remoteJid)) return 'group';
  return undefined;
}

/**
 * Turns one message from `messages.upsert` into an InboundMessage, or says why it is skipped: our own
 * messages, status updates, newsletters, broadcasts, groups (unless accepted), undecryptable stubs,
 * and content the office does not take (reactions, polls, edits, protocol messages).
 */
export function normalizeWebMessage(raw: WAMessage, options: NormalizeOptions): NormalizedMessage {
  const key = raw.key;
  const messageId = key?.id;
  const remoteJid = key?.remoteJid;
  if (!messageId || !remoteJid) return skipped('malformed_message');
  if (key.fromMe) return skipped('from_me', { messageId });

  const kind = chatKind(remoteJid);
  if (kind && !(kind === 'group' && options.acceptGroups)) return skipped(kind, { messageId });

  const message = normalizeMessageContent(raw.message);
  if (!message) {
    // A message Baileys could not decrypt arrives as a stub; the phone resends it as a new upsert.
    return skipped('no_content', { messageId, stubType: raw.messageStubType ?? undefined });
  }
  const contentType = getContentType(message);
  const content = contentType ? contentOf(raw, message, contentType, options.fetchMedia) : undefined;
  if (!content) return skipped('unsupported_message', { messageId, contentType: contentType ?? 'none' });

  const identity = senderIdentity(key);
  if (!identity) return skipped('no_sender', { messageId });

  const seconds = toNumber(raw.messageTimestamp as LongLike);
  const pushName = raw.pushName?.trim();
  const normalized: InboundMessage = {
    channel: 'whatsapp',
    externalMessageId: messageId,
    externalUserId: identity.externalUserId,
    externalThreadId: jidNormalizedUser(remoteJid),
    displayName: pushName || identity.phone || identity.externalUserId.split('@')[0] || 'WhatsApp',
    sentAt: seconds > 0 ? new Date(seconds * 1000) : (options.receivedAt ?? new Date()),
    text: content.text,
    attachments: content.attachments,
    ...(identity.aliasUserIds.length > 0 ? { aliasUserIds: identity.aliasUserIds } : {}),
    ...(identity.phone ? { phone: identity.phone } : {}),
    ...(content.location ? { location: content.location } : {}),
    ...(content.contacts && content.contacts.length > 0 ? { contacts: content.contacts } : {}),
  };
  return { kind: 'message', message: normalized };
}
