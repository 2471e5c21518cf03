import type { InboundAttachment, InboundContactCard, InboundLocation, InboundMessage } from '@loket/core';
import type { Update } from 'telegraf/types';
import type { FileFetcher, NormalizedUpdate, SkippedUpdate } from './types.ts';

/**
 * The fields of a Bot API message this adapter reads. Telegram's message type is a wide union; reading
 * through one flat, all-optional view keeps normalisation tolerant of shapes it does not know.
 */
type FileFields = { file_id: string; file_size?: number; mime_type?: string; file_name?: string };
type MessageView = {
  message_id: number;
  date: number;
  chat: { id: number; type: string };
  from?: { id: number; first_name: string; last_name?: string; username?: string };
  text?: string;
  caption?: string;
  photo?: { file_id: string; width: number; height: number; file_size?: number }[];
  document?: FileFields;
  voice?: FileFields;
  audio?: FileFields;
  video?: FileFields;
  video_note?: FileFields;
  location?: { latitude: number; longitude: number };
  venue?: { location: { latitude: number; longitude: number }; title: string; address: string };
  contact?: { phone_number: string; first_name: string; last_name?: string; user_id?: number };
};

/** Content kinds we know but do not take in; named in the rejection so the count means something. */
const UNSUPPORTED_CONTENT = ['sticker', 'poll', 'dice', 'game', 'story', 'invoice', 'animation'] as const;

/** Deep-link payloads are 1–64 of A–Z, a–z, 0–9, _ and - (Bot API, "Deep linking"). */
const START_COMMAND = /^\/start(?:@\w+)?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/;

export function isUpdateObject(body: unknown): body is Update {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return Number.isSafeInteger((body as { update_id?: unknown }).update_id);
}

export function updateKind(update: Update): string {
  return Object.keys(update).find((key) => key !== 'update_id') ?? 'empty';
}

/** `/start <code>` from a banner link: the code is the referral, the text stays the bare command. */
export function parseStartCommand(text: string): { text: string; referralCode?: string } | undefined {
  const match = START_COMMAND.exec(text.trim());
  if (!match) return undefined;
  return match[1] === undefined ? { text: '/start' } : { text: '/start', referralCode: match[1] };
}

export function displayNameOf(from: NonNullable<MessageView['from']>): string {
  const fullName = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
  if (fullName) return fullName;
  return from.username ? `@${from.username}` : String(from.id);
}

function skipped(update: Update, reason: string, detail: Record<string, unknown> = {}): SkippedUpdate {
  return {
    kind: 'skipped',
    reason,
    detail: { updateId: update.update_id, updateKind: updateKind(update), ...detail },
  };
}

function fileAttachment(
  fetchFile: FileFetcher,
  file: FileFields,
  kind: InboundAttachment['kind'],
  defaultMime: string,
): InboundAttachment {
  return {
    kind,
    mime: file.mime_type ?? defaultMime,
    ...(file.file_name === undefined ? {} : { name: file.file_name }),
    ...(file.file_size === undefined ? {} : { size: file.file_size }),
    fetch: (maxBytes) => fetchFile(file.file_id, file.file_size, maxBytes),
  };
}

/** Telegram lists photo sizes smallest first, but the order is not promised; pick by pixel count. */
function largestPhoto(photo: NonNullable<MessageView['photo']>) {
  return photo.reduce<(typeof photo)[number] | undefined>(
    (best, size) => (!best || size.width * size.height > best.width * best.height ? size : best),
    undefined,
  );
}

function attachmentsOf(message: MessageView, fetchFile: FileFetcher): InboundAttachment[] {
  const attachments: InboundAttachment[] = [];
  const photo = message.photo ? largestPhoto(message.photo) : undefined;
  if (photo) attachments.push(fileAttachment(fetchFile, photo, 'image', 'image/jpeg'));
  if (message.document)
    attachments.push(fileAttachment(fetchFile, message.document, 'document', 'application/octet-stream'));
  if (message.voice) attachments.push(fileAttachment(fetchFile, message.voice, 'audio', 'audio/ogg'));
  if (message.audio) attachments.push(fileAttachment(fetchFile, message.audio, 'audio', 'audio/mpeg'));
  if (message.video) attachments.push(fileAttachment(fetchFile, message.video, 'video', 'video/mp4'));
  if (message.video_note)
    attachments.push(fileAttachment(fetchFile, message.video_note, 'video', 'video/mp4'));
  return attachments;
}

function locationOf(message: MessageView): InboundLocation | undefined {
  if (message.venue) {
    const { location, title, address } = message.venue;
    return { latitude: location.latitude, longitude: location.longitude, title, address };
  }
  if (message.location) return { latitude: message.location.latitude, longitude: message.location.longitude };
  return undefined;
}

function contactCardOf(message: MessageView): InboundContactCard | undefined {
  const contact = message.contact;
  if (!contact) return undefined;
  return {
    name: [contact.first_name, contact.last_name].filter(Boolean).join(' ').trim(),
    phone: contact.phone_number,
    ...(contact.user_id === undefined ? {} : { externalUserId: String(contact.user_id) }),
  };
}

/**
 * Turns one update into an InboundMessage, or says why it is skipped. Only new messages in private
 * chats are taken; edits, channel posts, callbacks, polls, groups and sticker-only messages are not.
 */
export function normalizeUpdate(update: Update, fetchFile: FileFetcher): NormalizedUpdate {
  if (!('message' in update)) return skipped(update, 'unsupported_update');
  const message: MessageView = update.message;
  if (message.chat.type !== 'private') {
    return skipped(update, 'non_private_chat', { chatType: message.chat.type, chatId: message.chat.id });
  }
  const from = message.from;
  if (!from) return skipped(update, 'no_sender', { chatId: message.chat.id });

  const attachments = attachmentsOf(message, fetchFile);
  const location = locationOf(message);
  const contact = contactCardOf(message);
  const rawText = message.text ?? message.caption ?? '';
  if (rawText === '' && attachments.length === 0 && !location && !contact) {
    const content = UNSUPPORTED_CONTENT.find((kind) => kind in message) ?? 'unknown';
    return skipped(update, 'unsupported_message', { messageKind: content, chatId: message.chat.id });
  }

  const start = message.text === undefined ? undefined : parseStartCommand(message.text);
  // Sharing one's own number ("Share my phone number") is how a citizen gives a verified phone.
  const ownPhone = contact && message.contact?.user_id === from.id ? contact.phone : undefined;
  const normalized: InboundMessage = {
    channel: 'telegram',
    externalMessageId: `${message.chat.id}:${message.message_id}`,
    externalUserId: String(from.id),
    externalThreadId: String(message.chat.id),
    displayName: displayNameOf(from),
    sentAt: validDate(new Date(message.date * 1000)),
    text: start ? start.text : rawText,
    attachments,
    ...(from.username === undefined ? {} : { handle: from.username }),
    ...(ownPhone === undefined ? {} : { phone: ownPhone }),
    ...(location ? { location } : {}),
    ...(contact ? { contacts: [contact] } : {}),
    ...(start?.referralCode === undefined ? {} : { referralCode: start.referralCode }),
  };
  return { kind: 'message', message: normalized };
}

/** A date the store can hold: an update with a nonsensical `date` still counts as sent now. */
function validDate(date: Date): Date {
  return Number.isNaN(date.getTime()) ? new Date() : date;
}
