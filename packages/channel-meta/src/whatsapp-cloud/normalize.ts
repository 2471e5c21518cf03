import {
  type AttachmentKind,
  type DeliveryReceipt,
  type InboundAttachment,
  type InboundContactCard,
  type InboundMessage,
  PLATFORM_DELIVERY_STATES,
  type PlatformDeliveryState,
} from '@loket/core';
import { classifyGraphError, failureMessage } from '../errors.ts';
import type { MediaFetcher, WebhookItem } from '../types.ts';
import type { WaEntry, WaMedia, WaMessage, WaStatus, WaValue } from './payload.ts';

/** Looks up a media id and downloads it; built once per adapter. */
export type MediaFetcherFor = (mediaId: string) => MediaFetcher;

type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

const MEDIA_TYPES: Record<string, AttachmentKind> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  document: 'document',
  sticker: 'sticker',
};

const FALLBACK_MIME: Record<AttachmentKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg',
  document: 'application/octet-stream',
  sticker: 'image/webp',
};

type Content = Pick<InboundMessage, 'text' | 'attachments' | 'location' | 'contacts'>;

const rejected = (reason: string, detail: Record<string, unknown>): WebhookItem => ({
  kind: 'rejected',
  reason,
  detail,
});

/**
 * A field that becomes stored text, if it is text. The payload is typed as Meta documents it, but a
 * signed body can hold anything, and a number or an array that reached the database would fail the
 * store (500), so Meta would redeliver the poisoned payload forever.
 */
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** WhatsApp timestamps are Unix seconds as strings; a missing one is "now" rather than 1970. */
function secondsToDate(timestamp: string | undefined, receivedAt: Date): Date {
  const date = new Date(Number(timestamp) * 1000);
  // Beyond the year 275760 a Date is invalid, and an invalid one would fail the store.
  return date.getTime() > 0 ? date : receivedAt;
}

function mediaAttachment(
  kind: AttachmentKind,
  media: WaMedia,
  fetcherFor: MediaFetcherFor,
): InboundAttachment {
  const id = media.id as string;
  return {
    kind,
    mime: str(media.mime_type)?.trim() || FALLBACK_MIME[kind],
    ...(str(media.filename) ? { name: str(media.filename) } : {}),
    fetch: fetcherFor(id),
  };
}

function contactCard(card: NonNullable<WaMessage['contacts']>[number]): InboundContactCard | undefined {
  const name =
    card.name?.formatted_name?.trim() ||
    [card.name?.first_name, card.name?.last_name].filter(Boolean).join(' ').trim();
  const found = card.phones?.find((entry) => str(entry.phone) || str(entry.wa_id));
  const phone = found && { phone: str(found.phone), wa_id: str(found.wa_id) };
  if (!name && !phone) return undefined;
  return {
    name: name || phone?.phone || phone?.wa_id || '',
    ...(phone?.phone ? { phone: phone.phone } : phone?.wa_id ? { phone: `+${phone.wa_id}` } : {}),
    ...(phone?.wa_id ? { externalUserId: phone.wa_id } : {}),
  };
}

/** The content of one message, or the reason it is not taken in. */
function readContent(
  message: WaMessage,
  fetcherFor: MediaFetcherFor,
): Content | { reason: string; detail: Record<string, unknown> } {
  const type = message.type ?? '';
  const kind = MEDIA_TYPES[type];
  if (kind) {
    const media = message[type as MediaType];
    if (!str(media?.id) || !media)
      return { reason: 'malformed-message', detail: { type, missing: 'media id' } };
    return { text: str(media.caption) ?? '', attachments: [mediaAttachment(kind, media, fetcherFor)] };
  }
  switch (type) {
    case 'text':
      return { text: str(message.text?.body) ?? '', attachments: [] };
    case 'location': {
      const { latitude, longitude } = message.location ?? {};
      const name = str(message.location?.name);
      const address = str(message.location?.address);
      if (typeof latitude !== 'number' || typeof longitude !== 'number') {
        return { reason: 'malformed-message', detail: { type, missing: 'coordinates' } };
      }
      return {
        text: '',
        attachments: [],
        location: { latitude, longitude, ...(name ? { title: name } : {}), ...(address ? { address } : {}) },
      };
    }
    case 'contacts': {
      const cards = (message.contacts ?? []).map(contactCard).filter((card) => card !== undefined);
      if (cards.length === 0) return { reason: 'malformed-message', detail: { type, missing: 'contacts' } };
      return { text: '', attachments: [], contacts: cards };
    }
    case 'interactive': {
      const reply = message.interactive?.button_reply ?? message.interactive?.list_reply;
      const title = str(reply?.title);
      if (!title) {
        return { reason: 'unsupported-interactive', detail: { interactiveType: message.interactive?.type } };
      }
      return { text: title, attachments: [] };
    }
    case 'button':
      // A quick-reply button under one of our templates: its text is what the citizen chose.
      if (!str(message.button?.text))
        return { reason: 'malformed-message', detail: { type, missing: 'button text' } };
      return { text: str(message.button?.text) ?? '', attachments: [] };
    case 'reaction':
      return { reason: 'reaction', detail: {} };
    case 'system':
      return { reason: 'system-message', detail: { systemType: message.system?.type } };
    case 'unsupported':
      return { reason: 'unsupported-message', detail: { errorCode: message.errors?.[0]?.code } };
    default:
      return { reason: 'unsupported-message', detail: { type } };
  }
}

export function normalizeWhatsAppMessage(
  message: WaMessage,
  value: WaValue,
  fetcherFor: MediaFetcherFor,
  receivedAt: Date,
): WebhookItem {
  const messageId = str(message.id);
  const from = str(message.from);
  if (!messageId || !from) return rejected('malformed-message', { messageId, missing: 'id or from' });
  const content = readContent(message, fetcherFor);
  if ('reason' in content)
    return rejected(content.reason, { messageId, type: message.type, ...content.detail });

  const contacts = Array.isArray(value.contacts) ? value.contacts : [];
  const profileName = str(contacts.find((contact) => contact?.wa_id === from)?.profile?.name)?.trim();
  const isPhone = /^\d+$/.test(from);
  const normalized: InboundMessage = {
    channel: 'whatsapp-cloud',
    externalMessageId: messageId,
    externalUserId: from,
    externalThreadId: from,
    displayName: profileName || (isPhone ? `+${from}` : from),
    ...(isPhone ? { phone: `+${from}` } : {}),
    sentAt: secondsToDate(message.timestamp, receivedAt),
    ...content,
  };
  return { kind: 'message', message: normalized };
}

function isDeliveryState(value: string | undefined): value is PlatformDeliveryState {
  return (PLATFORM_DELIVERY_STATES as readonly string[]).includes(value ?? '');
}

export function normalizeWhatsAppStatus(status: WaStatus, receivedAt: Date): WebhookItem {
  const id = str(status.id);
  if (!id) return rejected('malformed-status', { status: status.status });
  if (!isDeliveryState(status.status)) {
    return rejected('unsupported-status', { messageId: id, status: status.status });
  }
  const receipt: DeliveryReceipt = {
    externalMessageId: id,
    status: status.status,
    at: secondsToDate(status.timestamp, receivedAt),
  };
  if (status.status === 'failed') {
    const first = status.errors?.[0];
    const error = first
      ? {
          ...(first.code === undefined ? {} : { code: first.code }),
          title: first.title ?? first.message,
          ...(first.error_data ? { error_data: first.error_data } : {}),
        }
      : undefined;
    const failure = classifyGraphError('whatsapp-cloud', error ? { error } : {});
    receipt.error = first
      ? failureMessage(failure, error)
      : 'WhatsApp reported the message as failed without a reason.';
  }
  return { kind: 'receipt', receipt };
}

/** A field Meta documents as an array; anything else reads as empty rather than breaking the loop. */
function asArray<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}

/** Every item of a `whatsapp_business_account` payload, in order, for the configured number only. */
export function collectWhatsAppItems(
  entries: unknown[],
  options: { phoneNumberId: string; fetcherFor: MediaFetcherFor; receivedAt?: Date },
): WebhookItem[] {
  const receivedAt = options.receivedAt ?? new Date();
  const items: WebhookItem[] = [];
  for (const entry of entries as WaEntry[]) {
    for (const change of asArray(entry?.changes)) {
      if (change?.field !== 'messages') {
        items.push(rejected('unsupported-field', { field: change?.field }));
        continue;
      }
      const value = change.value ?? {};
      const phoneNumberId = value.metadata?.phone_number_id;
      if (phoneNumberId !== options.phoneNumberId) {
        items.push(rejected('wrong-phone-number-id', { phoneNumberId }));
        continue;
      }
      for (const error of asArray(value.errors)) {
        items.push(rejected('whatsapp-error', { code: error?.code, title: error?.title }));
      }
      for (const message of asArray(value.messages)) {
        try {
          items.push(normalizeWhatsAppMessage(message, value, options.fetcherFor, receivedAt));
        } catch {
          items.push(rejected('malformed-message', { messageId: message?.id }));
        }
      }
      for (const status of asArray(value.statuses)) {
        try {
          items.push(normalizeWhatsAppStatus(status, receivedAt));
        } catch {
          items.push(rejected('malformed-status', { messageId: status?.id }));
        }
      }
    }
  }
  return items;
}
