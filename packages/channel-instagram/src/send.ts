import {
  ChannelError,
  documentsNotCarriedNotice,
  documentsNotCarriedWarning,
  type OutboundContent,
  type OutboundDocument,
  type SendResult,
  splitText as splitPlatformText,
} from '@loket/core';
import type { IgApiClient } from 'instagram-private-api';
import { toChannelError } from './errors.ts';

/** Instagram refuses direct texts longer than this. */
export const MAX_TEXT_LENGTH = 1000;

/** Photos are the only files a DM carries; Instagram re-encodes them, so JPEG and PNG both do. */
const PHOTO_MIMES = new Set(['image/jpeg', 'image/jpg', 'image/png']);

/** Pieces Instagram accepts (see core's splitText: line breaks, then spaces, never half an emoji). */
export function splitText(text: string, limit = MAX_TEXT_LENGTH): string[] {
  return splitPlatformText(text, limit);
}

export function isSendablePhoto(document: OutboundDocument): boolean {
  return PHOTO_MIMES.has(document.mime.toLowerCase());
}

function itemIdOf(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const direct = (result as { item_id?: unknown }).item_id;
  if (direct !== undefined) return String(direct);
  const metadata = (result as { message_metadata?: { item_id?: unknown }[] }).message_metadata;
  const first = metadata?.[0]?.item_id;
  return first === undefined ? undefined : String(first);
}

async function step(action: string, call: () => Promise<unknown>, last: string | undefined) {
  try {
    return itemIdOf(await call()) ?? last;
  } catch (error) {
    throw toChannelError(error, action);
  }
}

/**
 * Sends the text (split when long), then each photo, then, for documents a DM cannot carry, a short
 * Indonesian notice; returns the last item id and, when documents were replaced, a warning for the
 * officer. A failure part-way through is reported as a whole; a retry resends the parts already sent.
 */
export async function sendContent(
  ig: IgApiClient,
  threadId: string,
  content: OutboundContent,
): Promise<SendResult> {
  const pieces = splitText(content.text);
  const documents = content.documents ?? [];
  const photos = documents.filter(isSendablePhoto);
  const others = documents.filter((document) => !isSendablePhoto(document));
  if (pieces.length === 0 && documents.length === 0) {
    throw new ChannelError('instagram', 'nothing to send: empty text and no documents', {
      retryable: false,
      code: 'EMPTY_MESSAGE',
    });
  }
  // The notice goes last, so it reads as the answer to "where is my document?" after the reply.
  const notice =
    others.length > 0 ? documentsNotCarriedNotice(others.map((document) => document.name)) : undefined;

  const thread = ig.entity.directThread(threadId);
  let last: string | undefined;
  for (const piece of pieces) {
    last = await step('broadcastText', () => thread.broadcastText(piece), last);
  }
  for (const photo of photos) {
    last = await step('broadcastPhoto', () => thread.broadcastPhoto({ file: Buffer.from(photo.data) }), last);
  }
  if (notice !== undefined) last = await step('broadcastText', () => thread.broadcastText(notice), last);
  if (last === undefined) {
    throw new ChannelError('instagram', 'Instagram acknowledged the message without an item id', {
      retryable: false,
      code: 'NO_ITEM_ID',
    });
  }
  return notice === undefined
    ? { externalId: last }
    : { externalId: last, warning: documentsNotCarriedWarning(others.map((document) => document.name)) };
}
