import {
  ChannelError,
  documentsNotCarriedNotice,
  documentsNotCarriedWarning,
  type OutboundContent,
  type SendResult,
  splitText,
  type ThreadRef,
} from '@loket/core';
import type { GraphClient } from '../graph-client.ts';

/** Instagram refuses texts of 1000 bytes or more (UTF-8), so the split counts bytes, not characters. */
export const INSTAGRAM_TEXT_LIMIT_BYTES = 1000;

type SendAnswer = { recipient_id?: string; message_id?: string };

/**
 * What the citizen reads instead of a document: Instagram DMs take files only from a public URL,
 * and a citizen's document must never be put on one.
 */

/**
 * Sends the text (split when long) and, for documents, a notice in their place. Every part goes as a
 * RESPONSE inside the 24-hour window, or, for an officer's reply when the tag is enabled, with the
 * HUMAN_AGENT tag (7 days).
 */
export async function sendInstagramContent(
  client: GraphClient,
  options: { accountId: string; humanAgentTag: boolean },
  to: ThreadRef,
  content: OutboundContent,
): Promise<SendResult> {
  if (to.channel !== 'instagram-graph') {
    throw new ChannelError('instagram-graph', `Cannot send to a ${to.channel} thread.`, {
      retryable: false,
      code: 'WRONG_CHANNEL',
    });
  }
  if (!/^\d{1,30}$/.test(to.externalThreadId)) {
    throw new ChannelError('instagram-graph', `"${to.externalThreadId}" is not an Instagram user id.`, {
      retryable: false,
      code: 'BAD_RECIPIENT',
    });
  }
  const documentNames = (content.documents ?? []).map((document) => document.name);
  const pieces = splitText(content.text, INSTAGRAM_TEXT_LIMIT_BYTES, 'utf8');
  if (documentNames.length > 0)
    pieces.push(...splitText(documentsNotCarriedNotice(documentNames), INSTAGRAM_TEXT_LIMIT_BYTES, 'utf8'));
  if (pieces.length === 0) {
    throw new ChannelError(
      'instagram-graph',
      'Nothing to send: the text is empty and there are no documents.',
      {
        retryable: false,
        code: 'EMPTY_MESSAGE',
      },
    );
  }
  const tagged = options.humanAgentTag && content.sentByStaff === true;
  const messaging = tagged
    ? { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
    : { messaging_type: 'RESPONSE' };

  let last = '';
  for (const piece of pieces) {
    const answer = await client.call<SendAnswer>('send text', {
      method: 'POST',
      path: [options.accountId, 'messages'],
      json: { recipient: { id: to.externalThreadId }, message: { text: piece }, ...messaging },
    });
    if (!answer.message_id) {
      throw new ChannelError(
        'instagram-graph',
        'Instagram accepted the message but returned no message id.',
        {
          retryable: false,
          code: 'BAD_RESPONSE',
        },
      );
    }
    last = answer.message_id;
  }
  return documentNames.length > 0
    ? { externalId: last, warning: documentsNotCarriedWarning(documentNames) }
    : { externalId: last };
}
