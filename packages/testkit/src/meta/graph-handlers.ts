import { createHash, randomBytes } from 'node:crypto';
import { type GraphFailureSpec, graphErrorJson } from './graph-failures.ts';
import type { GraphReply } from './graph-http.ts';
import type {
  GraphInstagramMessage,
  GraphUploadedMedia,
  GraphWhatsAppMessage,
  StoredMedia,
} from './graph-records.ts';

/** Instagram refuses texts of 1000 bytes or more. */
const INSTAGRAM_TEXT_LIMIT_BYTES = 1000;
const WHATSAPP_TEXT_LIMIT = 4096;
const MESSAGING_TYPES = new Set(['RESPONSE', 'UPDATE', 'MESSAGE_TAG']);
const MESSAGE_TAGS = new Set(['HUMAN_AGENT']);

export function graphError(failure: Exclude<GraphFailureSpec, { network: 'reset' }>): GraphReply {
  const headers: Record<string, string> =
    failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) };
  return { status: failure.httpStatus ?? 400, json: graphErrorJson(failure), headers };
}

export function invalidParameter(message: string): GraphReply {
  return graphError({ code: 100, message: `(#100) ${message}`, type: 'OAuthException' });
}

export function newWamid(): string {
  return `wamid.HBgN${randomBytes(30).toString('base64').replace(/=+$/, '')}`;
}

export function newInstagramMid(): string {
  return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx${randomBytes(24).toString('base64url')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type MessageStores = {
  media: Map<string, StoredMedia>;
  whatsappMessages: GraphWhatsAppMessage[];
  instagramMessages: GraphInstagramMessage[];
  uploads: GraphUploadedMedia[];
  nextId(): string;
};

/** `POST /{phone-number-id}/messages`, checked the way the Cloud API checks it. */
export function whatsappSend(body: Record<string, unknown> | undefined, stores: MessageStores): GraphReply {
  if (!body) return invalidParameter('Invalid parameter');
  if (body.messaging_product !== 'whatsapp') {
    return invalidParameter('The parameter messaging_product is required.');
  }
  const to = body.to;
  if (typeof to !== 'string' || !/^\+?\d{5,20}$/.test(to)) return invalidParameter('Invalid parameter: to');
  const type = typeof body.type === 'string' ? body.type : 'text';
  const record: GraphWhatsAppMessage = { id: newWamid(), to, type, body };
  if (type === 'text') {
    const text = isObject(body.text) ? body.text.body : undefined;
    if (typeof text !== 'string' || text.trim() === '') {
      return invalidParameter("The parameter text['body'] is required.");
    }
    if (text.length > WHATSAPP_TEXT_LIMIT) {
      return invalidParameter(`Param text['body'] must be at most ${WHATSAPP_TEXT_LIMIT} characters long.`);
    }
    record.text = text;
  } else if (type === 'document' || type === 'image' || type === 'audio' || type === 'video') {
    const media = body[type];
    const id = isObject(media) ? media.id : undefined;
    const link = isObject(media) ? media.link : undefined;
    if (typeof id === 'string') {
      if (!stores.media.has(id))
        return invalidParameter(`Invalid parameter: ${type}.id ${id} is not a media id`);
      record.mediaId = id;
    } else if (typeof link !== 'string') {
      return invalidParameter(`The parameter ${type}['id'] or ${type}['link'] is required.`);
    }
    if (isObject(media) && typeof media.filename === 'string') record.filename = media.filename;
    if (isObject(media) && typeof media.caption === 'string') record.text = media.caption;
  }
  stores.whatsappMessages.push(record);
  return {
    status: 200,
    json: {
      messaging_product: 'whatsapp',
      contacts: [{ input: to, wa_id: to.replace('+', '') }],
      messages: [{ id: record.id }],
    },
  };
}

/** `POST /{phone-number-id}/media`: multipart `file`, `type`, `messaging_product`. */
export async function whatsappUpload(form: FormData | undefined, stores: MessageStores): Promise<GraphReply> {
  if (!form) return invalidParameter('Invalid parameter: the body is not multipart/form-data');
  const messagingProduct = form.get('messaging_product');
  if (messagingProduct !== 'whatsapp')
    return invalidParameter('The parameter messaging_product is required.');
  const file = form.get('file');
  if (!file || typeof file === 'string') return invalidParameter('The parameter file is required.');
  const typeField = form.get('type');
  const mime = typeof typeField === 'string' && typeField !== '' ? typeField : file.type;
  if (!mime) return invalidParameter('The parameter type is required.');
  const id = stores.nextId();
  const bytes = new Uint8Array(await file.arrayBuffer());
  stores.uploads.push({
    id,
    bytes,
    mime,
    ...(file.name ? { filename: file.name } : {}),
    ...(typeof typeField === 'string' ? { type: typeField } : {}),
    messagingProduct,
  });
  stores.media.set(id, { id, bytes, mime, reportedSize: bytes.byteLength, sendLength: true });
  return { status: 200, json: { id } };
}

/** `GET /{media-id}`: the short-lived download URL and what the file is. */
export function whatsappMediaInfo(media: StoredMedia, apiRoot: string): GraphReply {
  const hash = randomBytes(6).toString('hex');
  return {
    status: 200,
    json: {
      url: `${apiRoot}/whatsapp_business/attachments/?mid=${media.id}&ext=${Math.floor(Date.now() / 1000)}&hash=${hash}`,
      mime_type: media.mime,
      sha256: createHash('sha256').update(media.bytes).digest('hex'),
      file_size: media.reportedSize,
      id: media.id,
      messaging_product: 'whatsapp',
    },
  };
}

/** `POST /{ig-account-id}/messages` with `recipient`, `message.text`, `messaging_type` and `tag`. */
export function instagramSend(body: Record<string, unknown> | undefined, stores: MessageStores): GraphReply {
  if (!body) return invalidParameter('Invalid parameter');
  const recipientId = isObject(body.recipient) ? body.recipient.id : undefined;
  if (typeof recipientId !== 'string' || recipientId === '') {
    return invalidParameter('The parameter recipient is required');
  }
  const message = isObject(body.message) ? body.message : undefined;
  const text = message?.text;
  if (typeof text !== 'string' || text === '')
    return invalidParameter('The parameter message[text] is required');
  if (Buffer.byteLength(text, 'utf8') > INSTAGRAM_TEXT_LIMIT_BYTES) {
    return invalidParameter('Length of param message[text] must be less than or equal to 1000');
  }
  const messagingType = body.messaging_type;
  if (
    messagingType !== undefined &&
    (typeof messagingType !== 'string' || !MESSAGING_TYPES.has(messagingType))
  ) {
    return invalidParameter('Param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}');
  }
  const tag = body.tag;
  if (messagingType === 'MESSAGE_TAG' && (typeof tag !== 'string' || !MESSAGE_TAGS.has(tag))) {
    return invalidParameter('Param tag must be HUMAN_AGENT for a MESSAGE_TAG message');
  }
  const record: GraphInstagramMessage = {
    id: newInstagramMid(),
    recipientId,
    text,
    ...(typeof messagingType === 'string' ? { messagingType } : {}),
    ...(typeof tag === 'string' ? { tag } : {}),
    body,
  };
  stores.instagramMessages.push(record);
  return { status: 200, json: { recipient_id: recipientId, message_id: record.id } };
}
