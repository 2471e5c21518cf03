import { ChannelError, type OutboundContent, type ThreadRef } from '@loket/core';
import { type AnyMessageContent, jidDecode, type WAMessage } from '@whiskeysockets/baileys';
import type { Pacer } from './pacing.ts';
import { disconnectStatusCode } from './reconnect-policy.ts';

/** The part of Baileys' socket that sending uses; a narrow type keeps send.ts testable. */
export type MessageSender = {
  sendMessage(jid: string, content: AnyMessageContent): Promise<WAMessage | undefined>;
};

export type SendDependencies = {
  /** The open socket, or undefined while connecting, pairing or stopped. */
  connectedSocket(): MessageSender | undefined;
  pacer: Pacer;
  /** Aborts pacing waits when the channel stops. */
  signal?: AbortSignal;
  /** Keeps what was sent, so Baileys can resend it when the recipient's phone asks (getMessage). */
  rememberSent?(message: WAMessage): void;
};

const ADDRESSABLE_SERVERS = new Set(['s.whatsapp.net', 'lid', 'g.us']);

function notConnected(detail: string): ChannelError {
  return new ChannelError('whatsapp', `WhatsApp is not connected: ${detail}`, {
    retryable: true,
    code: 'NOT_CONNECTED',
  });
}

/**
 * Decides whether a failed send is worth retrying. Connection trouble (closed, timed out, restarting,
 * logged out pending a new pairing) clears up; a malformed recipient or a refusal does not. Anything
 * unknown is retried: the delivery worker gives up after its own attempt limit.
 */
export function toSendError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const status = disconnectStatusCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  const failed = (code: string, retryable: boolean) =>
    new ChannelError('whatsapp', `send failed (${status ?? 'no status'}): ${reason}`, {
      retryable,
      code,
      cause: error,
    });
  switch (status) {
    case 401:
    case 428:
    case 440:
    case 515:
      return failed('NOT_CONNECTED', true);
    case 408:
      return failed('TIMEOUT', true);
    case 429:
      return failed('RATE_LIMITED', true);
    case 400:
    case 404:
      return failed('BAD_REQUEST', false);
    case 403:
      return failed('FORBIDDEN', false);
    case 463:
      // WhatsApp restricts the account from starting chats; existing ones may still work later.
      return failed('ACCOUNT_RESTRICTED', false);
    default:
      return failed(status !== undefined && status >= 500 ? 'SERVER_ERROR' : 'SEND_FAILED', true);
  }
}

/** A JID Baileys can address: a phone, a LID, or (when groups are on) a group. */
export function isAddressableJid(jid: string): boolean {
  const decoded = jidDecode(jid);
  return Boolean(decoded?.user && ADDRESSABLE_SERVERS.has(decoded.server));
}

/** Text first, then each document; images go as images so they show inline on the citizen's phone. */
export function messagesFor(content: OutboundContent): AnyMessageContent[] {
  const parts: AnyMessageContent[] = [];
  // linkPreview null: no server-side fetch of the linked page at send time.
  if (content.text.trim() !== '') parts.push({ text: content.text, linkPreview: null });
  for (const document of content.documents ?? []) {
    const data = Buffer.from(document.data);
    parts.push(
      document.mime.startsWith('image/')
        ? { image: data, mimetype: document.mime }
        : { document: data, mimetype: document.mime, fileName: document.name },
    );
  }
  return parts;
}

/**
 * Sends a reply to the JID the citizen wrote from, paced per chat and globally, and returns the key
 * id of the last message sent. A failure part-way is reported as a whole; a retry resends the parts
 * already sent, which the citizen sees twice (rare, and better than a lost document).
 */
export async function sendContent(
  deps: SendDependencies,
  to: ThreadRef,
  content: OutboundContent,
): Promise<{ externalId: string }> {
  if (to.channel !== 'whatsapp') {
    throw new ChannelError('whatsapp', `cannot send to a ${to.channel} thread`, {
      retryable: false,
      code: 'WRONG_CHANNEL',
    });
  }
  const jid = to.externalThreadId;
  if (!isAddressableJid(jid)) {
    throw new ChannelError('whatsapp', `not a WhatsApp chat id: ${jid}`, {
      retryable: false,
      code: 'INVALID_RECIPIENT',
    });
  }
  const parts = messagesFor(content);
  if (parts.length === 0) {
    throw new ChannelError('whatsapp', 'nothing to send: empty text and no documents', {
      retryable: false,
      code: 'EMPTY_MESSAGE',
    });
  }
  if (!deps.connectedSocket()) throw notConnected('the channel is connecting, needs pairing, or is stopped');

  let externalId: string | undefined;
  for (const part of parts) {
    try {
      await deps.pacer.acquire(jid, deps.signal);
    } catch {
      throw notConnected('the channel stopped');
    }
    const socket = deps.connectedSocket();
    if (!socket) throw notConnected('the connection dropped while the reply waited its turn');
    let sent: WAMessage | undefined;
    try {
      sent = await socket.sendMessage(jid, part);
    } catch (error) {
      throw toSendError(error);
    }
    if (!sent?.key.id) throw toSendError(new Error('Baileys returned no message key'));
    deps.rememberSent?.(sent);
    externalId = sent.key.id;
  }
  return { externalId: externalId! };
}
