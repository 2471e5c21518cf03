import { ChannelError, type OutboundContent, splitText, type ThreadRef } from '@loket/core';
import { Input, type Telegram } from 'telegraf';
import { toChannelError } from './errors.ts';

/** Bot API limit for one text message. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Pieces Telegram accepts (see core's splitText: line breaks, then spaces, never half an emoji). */
export function splitMessageText(text: string, limit = MAX_MESSAGE_LENGTH): string[] {
  return splitText(text, limit);
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
