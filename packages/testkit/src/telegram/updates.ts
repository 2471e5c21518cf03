import type { TgChat, TgMessage, TgPhotoSize, TgUpdatePayload, TgUser } from './types.ts';

/**
 * Builders for realistic Bot API updates, shaped like the ones Telegram sends (private chat ids equal
 * the user id, commands carry a bot_command entity, photos come in several sizes, smallest first).
 */

export type FakeSender = {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  languageCode?: string;
};

export type MessageOptions = {
  from: FakeSender;
  /** Defaults to the sender's id, as in a private chat. */
  chatId?: number;
  messageId?: number;
  /** Unix seconds, or a Date. Defaults to now. */
  date?: number | Date;
};

export type PhotoSizeSpec = { width: number; height: number; fileSize: number };

let lastMessageId = 1000;

/** Message ids only need to be unique per chat; one counter keeps fixtures from colliding. */
export function nextMessageId(): number {
  lastMessageId += 1;
  return lastMessageId;
}

export function toTgUser(sender: FakeSender): TgUser {
  return {
    id: sender.id,
    is_bot: false,
    first_name: sender.firstName,
    ...(sender.lastName === undefined ? {} : { last_name: sender.lastName }),
    ...(sender.username === undefined ? {} : { username: sender.username }),
    language_code: sender.languageCode ?? 'id',
  };
}

function privateChat(sender: FakeSender, chatId: number): TgChat {
  return {
    id: chatId,
    type: 'private',
    first_name: sender.firstName,
    ...(sender.lastName === undefined ? {} : { last_name: sender.lastName }),
    ...(sender.username === undefined ? {} : { username: sender.username }),
  };
}

function unixSeconds(date: number | Date | undefined): number {
  if (date === undefined) return Math.floor(Date.now() / 1000);
  return date instanceof Date ? Math.floor(date.getTime() / 1000) : date;
}

function baseMessage(options: MessageOptions, chat?: TgChat): TgMessage {
  return {
    message_id: options.messageId ?? nextMessageId(),
    from: toTgUser(options.from),
    chat: chat ?? privateChat(options.from, options.chatId ?? options.from.id),
    date: unixSeconds(options.date),
  };
}

function commandEntities(text: string): TgMessage['entities'] {
  const command = /^\/\w+(@\w+)?/.exec(text);
  return command ? [{ type: 'bot_command', offset: 0, length: command[0].length }] : undefined;
}

export function textMessage(options: MessageOptions & { text: string }): TgMessage {
  const entities = commandEntities(options.text);
  return { ...baseMessage(options), text: options.text, ...(entities ? { entities } : {}) };
}

export function textMessageUpdate(options: MessageOptions & { text: string }): TgUpdatePayload {
  return { message: textMessage(options) };
}

/** What Telegram sends when a citizen opens `https://t.me/<bot>?start=<code>` and presses Start. */
export function startCommandUpdate(options: MessageOptions & { code?: string }): TgUpdatePayload {
  const text = options.code === undefined ? '/start' : `/start ${options.code}`;
  return textMessageUpdate({ ...options, text });
}

const DEFAULT_PHOTO_SIZES: PhotoSizeSpec[] = [
  { width: 90, height: 68, fileSize: 1_204 },
  { width: 320, height: 240, fileSize: 14_876 },
  { width: 1280, height: 960, fileSize: 121_433 },
];

/** The largest size gets `fileId`; smaller ones get derived ids, so `addFile(fileId, …)` serves the best one. */
export function photoMessageUpdate(
  options: MessageOptions & { fileId: string; caption?: string; sizes?: PhotoSizeSpec[] },
): TgUpdatePayload {
  const sizes = options.sizes ?? DEFAULT_PHOTO_SIZES;
  const area = (size: PhotoSizeSpec) => size.width * size.height;
  const largestIndex = sizes.reduce(
    (best, size, index) => (area(size) > area(sizes[best] ?? size) ? index : best),
    0,
  );
  const photo: TgPhotoSize[] = sizes.map((size, index) => ({
    file_id: index === largestIndex ? options.fileId : `${options.fileId}-${size.width}`,
    file_unique_id: `u-${options.fileId}-${size.width}`,
    width: size.width,
    height: size.height,
    file_size: size.fileSize,
  }));
  return {
    message: {
      ...baseMessage(options),
      photo,
      ...(options.caption === undefined ? {} : { caption: options.caption }),
    },
  };
}

export function documentMessageUpdate(
  options: MessageOptions & {
    fileId: string;
    fileName: string;
    mimeType: string;
    /** Leave out to model a document whose size Telegram did not announce. */
    fileSize?: number;
    caption?: string;
  },
): TgUpdatePayload {
  return {
    message: {
      ...baseMessage(options),
      document: {
        file_id: options.fileId,
        file_unique_id: `u-${options.fileId}`,
        file_name: options.fileName,
        mime_type: options.mimeType,
        ...(options.fileSize === undefined ? {} : { file_size: options.fileSize }),
      },
      ...(options.caption === undefined ? {} : { caption: options.caption }),
    },
  };
}

export function voiceMessageUpdate(
  options: MessageOptions & { fileId: string; duration: number; fileSize?: number },
): TgUpdatePayload {
  return {
    message: {
      ...baseMessage(options),
      voice: {
        file_id: options.fileId,
        file_unique_id: `u-${options.fileId}`,
        duration: options.duration,
        mime_type: 'audio/ogg',
        ...(options.fileSize === undefined ? {} : { file_size: options.fileSize }),
      },
    },
  };
}

export function locationMessageUpdate(
  options: MessageOptions & { latitude: number; longitude: number },
): TgUpdatePayload {
  return {
    message: {
      ...baseMessage(options),
      location: { latitude: options.latitude, longitude: options.longitude },
    },
  };
}

export function venueMessageUpdate(
  options: MessageOptions & { latitude: number; longitude: number; title: string; address: string },
): TgUpdatePayload {
  const location = { latitude: options.latitude, longitude: options.longitude };
  return {
    message: {
      ...baseMessage(options),
      location,
      venue: { location, title: options.title, address: options.address },
    },
  };
}

/** `userId` set to the sender's own id is what "Share my phone number" produces. */
export function contactMessageUpdate(
  options: MessageOptions & { phoneNumber: string; firstName: string; lastName?: string; userId?: number },
): TgUpdatePayload {
  return {
    message: {
      ...baseMessage(options),
      contact: {
        phone_number: options.phoneNumber,
        first_name: options.firstName,
        ...(options.lastName === undefined ? {} : { last_name: options.lastName }),
        ...(options.userId === undefined ? {} : { user_id: options.userId }),
      },
    },
  };
}

export function stickerMessageUpdate(options: MessageOptions & { emoji?: string }): TgUpdatePayload {
  return {
    message: {
      ...baseMessage(options),
      sticker: {
        file_id: 'CAACAgIAAxkBAAIBsticker',
        file_unique_id: 'AgADsticker',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: options.emoji ?? '👍',
      },
    },
  };
}

export function groupTextMessageUpdate(
  options: MessageOptions & { groupId: number; title: string; text: string },
): TgUpdatePayload {
  const chat: TgChat = { id: options.groupId, type: 'supergroup', title: options.title };
  return { message: { ...baseMessage(options, chat), text: options.text } };
}

export function editedTextMessageUpdate(options: MessageOptions & { text: string }): TgUpdatePayload {
  const message = textMessage(options);
  return { edited_message: { ...message, edit_date: message.date + 30 } };
}

export function channelPostUpdate(options: {
  channelId: number;
  title: string;
  text: string;
  messageId?: number;
}): TgUpdatePayload {
  return {
    channel_post: {
      message_id: options.messageId ?? nextMessageId(),
      sender_chat: { id: options.channelId, type: 'channel', title: options.title },
      chat: { id: options.channelId, type: 'channel', title: options.title },
      date: unixSeconds(undefined),
      text: options.text,
    },
  };
}

export function pollUpdate(options: { question: string; options: string[] }): TgUpdatePayload {
  return {
    poll: {
      id: `${Date.now()}${nextMessageId()}`,
      question: options.question,
      options: options.options.map((text) => ({ text, voter_count: 0 })),
      total_voter_count: 0,
      is_closed: false,
      is_anonymous: true,
      type: 'regular',
      allows_multiple_answers: false,
    },
  };
}

export function callbackQueryUpdate(options: { from: FakeSender; data: string }): TgUpdatePayload {
  return {
    callback_query: {
      id: `${options.from.id}${nextMessageId()}`,
      from: toTgUser(options.from),
      chat_instance: `-${options.from.id}`,
      data: options.data,
    },
  };
}
