import { randomBytes } from 'node:crypto';
import { type BinaryNode, proto } from '@whiskeysockets/baileys';
import type { MediaKind, StoredMedia } from './fake-media.ts';

type Sender = {
  /** The chat the citizen writes from: '…@lid' (most direct chats in v7) or '…@s.whatsapp.net'. */
  from: string;
  /** The phone JID the server adds to a LID-addressed message as `sender_pn`. */
  senderPn?: string;
  /** The LID the server adds to a phone-addressed message as `sender_lid`. */
  senderLid?: string;
  id?: string;
  pushName?: string;
  /** Unix seconds. */
  timestamp?: number;
};

export type SendTextOptions = Sender & { text: string };

export type SendMediaOptions = Sender & {
  kind: MediaKind;
  bytes: Uint8Array;
  mimetype: string;
  fileName?: string;
  caption?: string;
};

/** WhatsApp message ids are upper-case hex; phones use a 3A/3E prefix. */
export function newMessageId(): string {
  return `3A${randomBytes(9).toString('hex').toUpperCase()}`;
}

/**
 * A citizen's message as the server relays it. The content is a `<plaintext>` node (an unencrypted
 * `proto.Message`), which Baileys accepts exactly like a decrypted `<enc>`; the attributes are the
 * ones Baileys reads: `sender_pn`/`sender_lid` become `key.remoteJidAlt`, `notify` the push name,
 * and `offline` makes it part of the offline batch (upserted as 'append').
 */
export function inboundMessageStanza(
  sender: Sender,
  message: proto.IMessage,
  options: { offline?: boolean; type: 'text' | 'media' },
): { id: string; node: BinaryNode } {
  const id = sender.id ?? newMessageId();
  const attrs: Record<string, string> = {
    from: sender.from,
    id,
    type: options.type,
    t: `${sender.timestamp ?? Math.floor(Date.now() / 1000)}`,
  };
  if (sender.senderPn) attrs.sender_pn = sender.senderPn;
  if (sender.senderLid) attrs.sender_lid = sender.senderLid;
  if (sender.pushName) attrs.notify = sender.pushName;
  if (options.offline) attrs.offline = '1';
  const content = proto.Message.encode(message).finish();
  return { id, node: { tag: 'message', attrs, content: [{ tag: 'plaintext', attrs: {}, content }] } };
}

export function textMessage(text: string): proto.IMessage {
  return { conversation: text };
}

export function mediaMessage(options: SendMediaOptions, media: StoredMedia): proto.IMessage {
  const common = {
    url: media.url,
    mimetype: options.mimetype,
    mediaKey: media.mediaKey,
    fileSha256: media.fileSha256,
    fileEncSha256: media.fileEncSha256,
    fileLength: media.fileLength,
    mediaKeyTimestamp: Math.floor(Date.now() / 1000),
    ...(options.caption ? { caption: options.caption } : {}),
  };
  if (options.kind === 'image') return { imageMessage: common };
  return { documentMessage: { ...common, fileName: options.fileName ?? 'document' } };
}
