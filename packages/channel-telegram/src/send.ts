import { ChannelError, type OutboundContent, type ThreadRef } from '@loket/core';
import { Input, type Telegram } from 'telegraf';
import { toChannelError } from './errors.ts';

/** Bot API limit for one text message. */
export const MAX_MESSAGE_LENGTH = 4096;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Splits text into pieces Telegram accepts, preferring a line break, then a space, in the second half
 * of the window, so a long reply reads naturally. Never cuts an emoji's surrogate pair in two.
 */
export function splitMessageText(text: string, limit = MAX_MESSAGE_LENGTH): string[] {
  const pieces: string[] = [];
  // Telegram refuses blank messages, so a blank piece (between two cuts) is dropped, not sent.
  const keep = (piece: string) => {
    if (piece.trim() !== '') pieces.push(piece);
  };
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf('\n');
    if (cut < limit / 2) cut = window.lastIndexOf(' ');
    if (cut >= limit / 2) {
      keep(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
      continue;
    }
    cut = isHighSurrogate(rest.charCodeAt(limit - 1)) ? limit - 1 : limit;
    keep(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  keep(rest);
  return pieces;
}

/**
 * Sends text (split when long) and then each document, and returns the id of the last message.
 * A failure part-way through is reported as a whole; a retry resends the parts already sent.
 */
export async function sendContent(
  telegram: Telegram,
  to: ThreadRef,
  content: OutboundContent,
): Promise<{ externalId: string }> {
  if (to.channel !== 'telegram') {
    throw new ChannelError('telegram', `cannot send to a ${to.channel} thread`, {
      retryable: false,
      code: 'WRONG_CHANNEL',
    });
  }
  const chatId = to.externalThreadId;
  const pieces = splitMessageText(content.text);
  const documents = content.documents ?? [];
  if (pieces.length === 0 && documents.length === 0) {
    throw new ChannelError('telegram', 'nothing to send: empty text and no documents', {
      retryable: false,
      code: 'EMPTY_MESSAGE',
    });
  }

  let last: { chat: { id: number }; message_id: number } | undefined;
  for (const piece of pieces) {
    try {
      last = await telegram.callApi('sendMessage', { chat_id: chatId, text: piece });
    } catch (error) {
      throw toChannelError(error, 'sendMessage');
    }
  }
  for (const document of documents) {
    try {
      last = await telegram.callApi('sendDocument', {
        chat_id: chatId,
        document: Input.fromBuffer(Buffer.from(document.data), document.name),
      });
    } catch (error) {
      throw toChannelError(error, 'sendDocument');
    }
  }
  if (!last)
    throw new ChannelError('telegram', 'nothing was sent', { retryable: false, code: 'EMPTY_MESSAGE' });
  return { externalId: `${last.chat.id}:${last.message_id}` };
}
