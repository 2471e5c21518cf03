import {
  ChannelError,
  type OutboundContent,
  type OutboundDocument,
  type SendResult,
  splitText,
  type ThreadRef,
} from '@loket/core';
import type { GraphClient } from '../graph-client.ts';

/** Cloud API limit for one text body. */
export const WHATSAPP_TEXT_LIMIT = 4096;
/** The only image types WhatsApp shows inline; anything else goes as a document. */
const INLINE_IMAGE_TYPES = new Set(['image/jpeg', 'image/png']);

type SendAnswer = { messages?: { id?: string }[] };

function wrongChannel(to: ThreadRef): ChannelError {
  return new ChannelError('whatsapp-cloud', `Cannot send to a ${to.channel} thread.`, {
    retryable: false,
    code: 'WRONG_CHANNEL',
  });
}

async function postMessage(
  client: GraphClient,
  phoneNumberId: string,
  body: Record<string, unknown>,
  what: string,
): Promise<string> {
  const answer = await client.call<SendAnswer>(what, {
    method: 'POST',
    path: [phoneNumberId, 'messages'],
    json: { messaging_product: 'whatsapp', recipient_type: 'individual', ...body },
  });
  const id = answer.messages?.[0]?.id;
  // Meta took the message but named no id; sending again could deliver it twice.
  if (!id) {
    throw new ChannelError('whatsapp-cloud', 'WhatsApp accepted the message but returned no message id.', {
      retryable: false,
      code: 'BAD_RESPONSE',
    });
  }
  return id;
}

/** Uploads a file to the number's media store (multipart, as the Cloud API wants) and returns its id. */
async function uploadMedia(
  client: GraphClient,
  phoneNumberId: string,
  document: OutboundDocument,
): Promise<string> {
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', document.mime);
  form.append('file', new Blob([Buffer.from(document.data)], { type: document.mime }), document.name);
  const answer = await client.call<{ id?: string }>('media upload', {
    method: 'POST',
    path: [phoneNumberId, 'media'],
    form,
  });
  if (!answer.id) {
    throw new ChannelError('whatsapp-cloud', 'WhatsApp accepted the upload but returned no media id.', {
      retryable: true,
      code: 'BAD_RESPONSE',
    });
  }
  return answer.id;
}

/**
 * Sends the text (split when long), then each document, and returns the wamid of the last message.
 * A failure part-way is reported as a whole; a retry resends the parts already sent.
 */
export async function sendWhatsAppContent(
  client: GraphClient,
  phoneNumberId: string,
  to: ThreadRef,
  content: OutboundContent,
): Promise<SendResult> {
  if (to.channel !== 'whatsapp-cloud') throw wrongChannel(to);
  const recipient = to.externalThreadId;
  if (!/^\d{5,20}$/.test(recipient)) {
    throw new ChannelError('whatsapp-cloud', `"${recipient}" is not a WhatsApp number.`, {
      retryable: false,
      code: 'BAD_RECIPIENT',
    });
  }
  const pieces = splitText(content.text, WHATSAPP_TEXT_LIMIT, 'utf16');
  const documents = content.documents ?? [];
  if (pieces.length === 0 && documents.length === 0) {
    throw new ChannelError(
      'whatsapp-cloud',
      'Nothing to send: the text is empty and there are no documents.',
      {
        retryable: false,
        code: 'EMPTY_MESSAGE',
      },
    );
  }

  let last = '';
  for (const piece of pieces) {
    last = await postMessage(
      client,
      phoneNumberId,
      { to: recipient, type: 'text', text: { body: piece, preview_url: false } },
      'send text',
    );
  }
  for (const document of documents) {
    const mediaId = await uploadMedia(client, phoneNumberId, document);
    const body = INLINE_IMAGE_TYPES.has(document.mime)
      ? { to: recipient, type: 'image', image: { id: mediaId } }
      : { to: recipient, type: 'document', document: { id: mediaId, filename: document.name } };
    last = await postMessage(client, phoneNumberId, body, 'send document');
  }
  return { externalId: last };
}
