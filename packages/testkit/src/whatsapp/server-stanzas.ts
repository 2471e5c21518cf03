import { randomBytes } from 'node:crypto';
import { type BinaryNode, getBinaryNodeChildren } from '@whiskeysockets/baileys';

/**
 * The server's own address on stanzas it sends. Baileys' `S_WHATSAPP_NET` is '@s.whatsapp.net' (for
 * the `to` of client iqs); the real server signs its stanzas with 's.whatsapp.net'.
 */
export const SERVER_JID = 's.whatsapp.net';

let stanzaCounter = 0;

/** Server-originated stanza ids; the real server uses short opaque ids, uniqueness is all that matters. */
export function serverStanzaId(): string {
  stanzaCounter += 1;
  return `fake.${stanzaCounter}.${randomBytes(3).toString('hex')}`;
}

export function nowSeconds(): string {
  return Math.floor(Date.now() / 1000).toString();
}

export function iqResult(request: BinaryNode, content?: BinaryNode[]): BinaryNode {
  return {
    tag: 'iq',
    attrs: { id: request.attrs.id ?? serverStanzaId(), type: 'result', from: SERVER_JID },
    ...(content ? { content } : {}),
  };
}

export function childNodes(node: BinaryNode | undefined): BinaryNode[] {
  return Array.isArray(node?.content) ? node.content : [];
}

export function childrenNamed(node: BinaryNode | undefined, tag: string): BinaryNode[] {
  return node ? getBinaryNodeChildren(node, tag) : [];
}

export function contentText(node: BinaryNode | undefined): string | undefined {
  const content = node?.content;
  if (typeof content === 'string') return content;
  if (content instanceof Uint8Array) return Buffer.from(content).toString('utf8');
  return undefined;
}

export function contentBytes(node: BinaryNode | undefined): Buffer | undefined {
  const content = node?.content;
  if (content instanceof Uint8Array) return Buffer.from(content);
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return undefined;
}

/** What a new, unpaired companion gets after the handshake: QR references, one per QR the client shows. */
export function pairDeviceIq(refCount = 6): BinaryNode {
  return {
    tag: 'iq',
    attrs: { id: serverStanzaId(), type: 'set', xmlns: 'md', from: SERVER_JID },
    content: [
      {
        tag: 'pair-device',
        attrs: {},
        content: Array.from({ length: refCount }, () => ({
          tag: 'ref',
          attrs: {},
          content: Buffer.from(`2@${randomBytes(24).toString('base64')}`),
        })),
      },
    ],
  };
}

export function successNode(lid: string): BinaryNode {
  return {
    tag: 'success',
    attrs: { t: nowSeconds(), lid, props: '1', abprops: '1', location: 'sin', creation: nowSeconds() },
  };
}

/** `<ib><offline count=N/></ib>`: "every stored stanza has been delivered", which flushes Baileys' buffer. */
export function offlineDoneNode(count: number): BinaryNode {
  return {
    tag: 'ib',
    attrs: { from: SERVER_JID },
    content: [{ tag: 'offline', attrs: { count: `${count}` } }],
  };
}

export function failureNode(reason: number): BinaryNode {
  return { tag: 'failure', attrs: { reason: `${reason}`, location: 'sin' } };
}

/** `<stream:error code=515>` is how the server asks a freshly paired companion to reconnect. */
export function streamErrorNode(code: number): BinaryNode {
  return { tag: 'stream:error', attrs: { code: `${code}` } };
}

/** What a connection gets when another client logs in with the same creds (Baileys: 440). */
export function replacedStreamErrorNode(): BinaryNode {
  return { tag: 'stream:error', attrs: {}, content: [{ tag: 'conflict', attrs: { type: 'replaced' } }] };
}

/**
 * The server telling the client that a LID and a phone number are one person. In rc14 this mex
 * notification is one of the few paths that emits `lid-mapping.update` (the envelope's `sender_pn`
 * only fills `key.remoteJidAlt` and Baileys' own mapping store, without an event).
 */
export function linkedProfilesNotification(lid: string, pn: string): BinaryNode {
  const payload = { data: { xwa2_notify_linked_profiles: { jid: lid, added_profiles: [pn] } } };
  return {
    tag: 'notification',
    attrs: { from: SERVER_JID, type: 'mex', id: serverStanzaId(), t: nowSeconds() },
    content: [
      {
        tag: 'update',
        attrs: { op_name: 'NotificationLinkedProfilesUpdates' },
        content: Buffer.from(JSON.stringify(payload)),
      },
    ],
  };
}
