import {
  type BinaryNode,
  getBinaryNodeChild,
  getContentType,
  type MediaType,
  normalizeMessageContent,
  type proto,
} from '@whiskeysockets/baileys';
import type { FakeConnection } from './fake-connection.ts';
import type { FakeContacts } from './fake-contacts.ts';
import type { FakeMediaStore } from './fake-media.ts';
import { childrenNamed, contentBytes, nowSeconds, SERVER_JID } from './server-stanzas.ts';

/** An officer's message as the citizen's phone decrypted it. */
export type ReceivedMessage = {
  /** The `to` of the stanza: the chat the client addressed ('…@lid' or '…@s.whatsapp.net'). */
  to: string;
  id: string;
  text?: string;
  message: proto.IMessage;
  /** The device JID the ciphertext was for, and how it was encrypted ('pkmsg' opens a session). */
  recipient: string;
  encryption: 'pkmsg' | 'msg';
  /** For a document/image/video/audio: the file the client uploaded, decrypted with the message's key. */
  media?: ReceivedMedia;
};

export type ReceivedMedia = {
  type: MediaType;
  bytes: Buffer;
  mimetype?: string;
  fileName?: string;
  caption?: string;
};

const MEDIA_CONTENT_TYPES: Partial<Record<keyof proto.IMessage, MediaType>> = {
  documentMessage: 'document',
  imageMessage: 'image',
  videoMessage: 'video',
  audioMessage: 'audio',
  stickerMessage: 'sticker',
};

/** What the client sent back for an inbound stanza. */
export type ClientReceipt = {
  id: string;
  /** Receipt type: undefined is a delivery receipt, 'inactive' one sent while not "online", 'read'… */
  type?: string;
  tag: 'receipt' | 'ack';
  to?: string;
  /** For acks: the stanza class ('message', 'notification', …) and a nack's error code. */
  class?: string;
  error?: string;
};

/**
 * The client's `<message>`, `<receipt>` and `<ack>` stanzas. Outbound messages are decrypted with the
 * recipient contact's Signal state and acked like the server does (`<ack class="message">`). rc14
 * does nothing with a plain ack (only one with an `error` becomes a failed status), so a sent message
 * is one whose `sendMessage` resolved.
 */
export class ClientTraffic {
  readonly received: ReceivedMessage[] = [];
  readonly receipts: ClientReceipt[] = [];
  /** Outbound stanzas the fake could not decrypt, with the reason; a test can assert it stays empty. */
  readonly undecryptable: { id: string; to: string; error: string }[] = [];

  constructor(
    private readonly contacts: FakeContacts,
    private readonly media: FakeMediaStore,
    /** The client's own account (phone or LID user): its copies go to the account's phone, not a citizen. */
    private readonly isOwnAccount: (connection: FakeConnection, jid: string) => boolean,
  ) {}

  async onMessage(connection: FakeConnection, node: BinaryNode): Promise<void> {
    const to = node.attrs.to ?? '';
    const id = node.attrs.id ?? '';
    const targets = childrenNamed(getBinaryNodeChild(node, 'participants'), 'to').map((target) => ({
      jid: target.attrs.jid ?? '',
      enc: getBinaryNodeChild(target, 'enc'),
    }));
    const direct = getBinaryNodeChild(node, 'enc');
    if (direct) targets.push({ jid: to, enc: direct });
    for (const { jid, enc } of targets) {
      const type = enc?.attrs.type;
      const ciphertext = contentBytes(enc);
      if ((type !== 'pkmsg' && type !== 'msg') || !ciphertext || this.isOwnAccount(connection, jid)) continue;
      try {
        const message = await this.contacts.forJid(jid).decrypt(connection.clientJid ?? '', type, ciphertext);
        const media = await this.mediaOf(message);
        this.received.push({
          to,
          id,
          text: textOf(message),
          message,
          recipient: jid,
          encryption: type,
          media,
        });
        break;
      } catch (error) {
        this.undecryptable.push({ id, to, error: error instanceof Error ? error.message : String(error) });
      }
    }
    await connection.sendNode({
      tag: 'ack',
      attrs: { class: 'message', id, from: to, t: nowSeconds() },
    });
  }

  private async mediaOf(message: proto.IMessage): Promise<ReceivedMedia | undefined> {
    const content = normalizeMessageContent(message);
    const contentType = content ? getContentType(content) : undefined;
    const type = contentType ? MEDIA_CONTENT_TYPES[contentType] : undefined;
    if (!content || !contentType || !type) return undefined;
    // Every media message carries the same url/directPath/mediaKey/mimetype fields; the document type
    // is the widest (it has fileName), and absent fields are simply undefined for the others.
    const media = content[contentType] as proto.Message.IDocumentMessage;
    const bytes = await this.media.decryptUploaded(media, type);
    if (!bytes) return undefined;
    return {
      type,
      bytes,
      mimetype: media.mimetype ?? undefined,
      fileName: media.fileName ?? undefined,
      caption: media.caption ?? undefined,
    };
  }

  onReceipt(node: BinaryNode): void {
    const listed = childrenNamed(getBinaryNodeChild(node, 'list'), 'item').map((item) => item.attrs.id ?? '');
    for (const id of [node.attrs.id ?? '', ...listed]) {
      this.receipts.push({ id, type: node.attrs.type, tag: 'receipt', to: node.attrs.to });
    }
  }

  onAck(node: BinaryNode): void {
    this.receipts.push({
      id: node.attrs.id ?? '',
      type: node.attrs.type,
      tag: 'ack',
      to: node.attrs.to,
      class: node.attrs.class,
      error: node.attrs.error,
    });
  }

  /** The server acknowledges receipts too; Baileys does not wait for it, a real server sends it. */
  receiptAck(node: BinaryNode): BinaryNode {
    const attrs: Record<string, string> = { class: 'receipt', id: node.attrs.id ?? '', from: SERVER_JID };
    if (node.attrs.type) attrs.type = node.attrs.type;
    return { tag: 'ack', attrs };
  }
}

function textOf(message: proto.IMessage): string | undefined {
  const content = normalizeMessageContent(message);
  return (
    content?.conversation ??
    content?.extendedTextMessage?.text ??
    content?.documentMessage?.caption ??
    content?.imageMessage?.caption ??
    content?.videoMessage?.caption ??
    undefined
  );
}
