import { randomBytes } from 'node:crypto';
import { newWamid } from './graph-handlers.ts';

// Builders of WhatsApp Cloud API webhook payloads, shaped like Meta's documented examples
// (developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples).

export type WaWebhookMessage = { from: string; id: string; timestamp: string; type: string } & Record<
  string,
  unknown
>;
export type WaWebhookStatus = {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | (string & {});
  timestamp: string;
  recipient_id: string;
} & Record<string, unknown>;
export type WaWebhookContact = { profile: { name: string }; wa_id: string };

export type WhatsAppWebhookPayload = {
  object: 'whatsapp_business_account';
  entry: {
    id: string;
    changes: { value: Record<string, unknown>; field: string }[];
  }[];
};

type Common = { from: string; id?: string; timestamp?: number | Date; contextId?: string };

function seconds(timestamp: number | Date | undefined): string {
  if (timestamp instanceof Date) return String(Math.floor(timestamp.getTime() / 1000));
  return String(timestamp ?? Math.floor(Date.now() / 1000));
}

function sha256Base64(): string {
  return randomBytes(32).toString('base64');
}

function message(common: Common, type: string, content: Record<string, unknown>): WaWebhookMessage {
  return {
    ...(common.contextId ? { context: { from: common.from, id: common.contextId } } : {}),
    from: common.from,
    id: common.id ?? newWamid(),
    timestamp: seconds(common.timestamp),
    type,
    ...content,
  };
}

type MediaInput = Common & { mediaId: string; mimeType?: string; caption?: string };

function media(
  type: string,
  input: MediaInput,
  defaults: { mime: string },
  extra: Record<string, unknown> = {},
) {
  return message(input, type, {
    [type]: {
      ...(input.caption === undefined ? {} : { caption: input.caption }),
      mime_type: input.mimeType ?? defaults.mime,
      sha256: sha256Base64(),
      id: input.mediaId,
      ...extra,
    },
  });
}

/** One builder per inbound message type the Cloud API sends. */
export const whatsappMessages = {
  text: (input: Common & { body: string }) => message(input, 'text', { text: { body: input.body } }),
  image: (input: MediaInput) => media('image', input, { mime: 'image/jpeg' }),
  video: (input: MediaInput) => media('video', input, { mime: 'video/mp4' }),
  document: (input: MediaInput & { filename: string }) =>
    media('document', input, { mime: 'application/pdf' }, { filename: input.filename }),
  audio: (input: Omit<MediaInput, 'caption'> & { voice?: boolean }) =>
    media('audio', input, { mime: 'audio/ogg; codecs=opus' }, { voice: input.voice ?? true }),
  sticker: (input: Omit<MediaInput, 'caption'> & { animated?: boolean }) =>
    media('sticker', input, { mime: 'image/webp' }, { animated: input.animated ?? false }),
  location: (input: Common & { latitude: number; longitude: number; name?: string; address?: string }) =>
    message(input, 'location', {
      location: {
        latitude: input.latitude,
        longitude: input.longitude,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.address === undefined ? {} : { address: input.address }),
      },
    }),
  contacts: (input: Common & { cards: { name: string; phone?: string; waId?: string }[] }) =>
    message(input, 'contacts', {
      contacts: input.cards.map((card) => {
        const [first, ...rest] = card.name.split(' ');
        return {
          name: {
            formatted_name: card.name,
            first_name: first,
            ...(rest.length ? { last_name: rest.join(' ') } : {}),
          },
          phones: card.phone || card.waId ? [{ phone: card.phone, wa_id: card.waId, type: 'CELL' }] : [],
        };
      }),
    }),
  /** A tap on a reply button of an interactive message we sent. */
  buttonReply: (input: Common & { buttonId: string; title: string }) =>
    message(input, 'interactive', {
      interactive: { type: 'button_reply', button_reply: { id: input.buttonId, title: input.title } },
    }),
  listReply: (input: Common & { rowId: string; title: string; description?: string }) =>
    message(input, 'interactive', {
      interactive: {
        type: 'list_reply',
        list_reply: {
          id: input.rowId,
          title: input.title,
          ...(input.description === undefined ? {} : { description: input.description }),
        },
      },
    }),
  /** A quick-reply button under a template message. */
  templateButton: (input: Common & { text: string; payload?: string }) =>
    message(input, 'button', { button: { text: input.text, payload: input.payload ?? input.text } }),
  reaction: (input: Common & { messageId: string; emoji: string }) =>
    message(input, 'reaction', { reaction: { message_id: input.messageId, emoji: input.emoji } }),
  unsupported: (input: Common) =>
    message(input, 'unsupported', {
      errors: [
        {
          code: 131051,
          title: 'Message type unknown',
          message: 'Message type unknown',
          error_data: { details: 'Message type is currently not supported.' },
        },
      ],
    }),
  system: (input: Common & { body: string; newWaId: string }) =>
    message(input, 'system', {
      system: { body: input.body, wa_id: input.newWaId, type: 'user_changed_number' },
    }),
};

type StatusInput = { id: string; recipientId: string; timestamp?: number | Date };

function status(input: StatusInput, value: string, extra: Record<string, unknown> = {}): WaWebhookStatus {
  return {
    id: input.id,
    status: value,
    timestamp: seconds(input.timestamp),
    recipient_id: input.recipientId,
    ...extra,
  };
}

const conversation = (recipientId: string) => ({
  conversation: {
    id: `c${recipientId.slice(-6)}${randomBytes(8).toString('hex')}`,
    origin: { type: 'service' },
  },
  pricing: { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' },
});

/** Reports on our own messages (`statuses[]`). */
export const whatsappStatuses = {
  sent: (input: StatusInput) => status(input, 'sent', conversation(input.recipientId)),
  delivered: (input: StatusInput) => status(input, 'delivered', conversation(input.recipientId)),
  read: (input: StatusInput) => status(input, 'read'),
  failed: (input: StatusInput & { code: number; title: string; details?: string }) =>
    status(input, 'failed', {
      errors: [
        {
          code: input.code,
          title: input.title,
          message: input.title,
          error_data: { details: input.details ?? input.title },
          href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
        },
      ],
    }),
};

export function whatsappContact(waId: string, name: string): WaWebhookContact {
  return { profile: { name }, wa_id: waId };
}

/** A whole `whatsapp_business_account` webhook for one phone number. */
export function whatsappWebhook(options: {
  phoneNumberId: string;
  displayPhoneNumber?: string;
  businessAccountId?: string;
  messages?: WaWebhookMessage[];
  statuses?: WaWebhookStatus[];
  contacts?: WaWebhookContact[];
}): WhatsAppWebhookPayload {
  const value: Record<string, unknown> = {
    messaging_product: 'whatsapp',
    metadata: {
      display_phone_number: options.displayPhoneNumber ?? '622155501234',
      phone_number_id: options.phoneNumberId,
    },
    ...(options.contacts ? { contacts: options.contacts } : {}),
    ...(options.messages ? { messages: options.messages } : {}),
    ...(options.statuses ? { statuses: options.statuses } : {}),
  };
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: options.businessAccountId ?? '102290129340398', changes: [{ value, field: 'messages' }] }],
  };
}
