import type { ChannelSessionStore } from '@loket/core';
import { BufferJSON, proto, type WAMessage } from '@whiskeysockets/baileys';
import type { WhatsAppLogger } from './types.ts';

const PENDING_KEY = 'pending';

/**
 * Received messages not yet stored, kept in the session store (the database) until `onMessage`
 * succeeds. Baileys sends WhatsApp its delivery receipt before the app sees a message, so WhatsApp
 * will not send it again: without this spool, a message whose store failed was lost at the next
 * restart or crash. It lives in its own namespace, so wiping a logged-out session keeps it.
 */
export type InboundSpool = {
  /** Reads what an earlier run left, oldest first. Call once, before add or remove. */
  load(): Promise<WAMessage[]>;
  add(messages: WAMessage[]): Promise<void>;
  remove(message: WAMessage): Promise<void>;
};

function spoolKey(message: WAMessage): string {
  return `${message.key.remoteJid ?? ''}|${message.key.id ?? ''}`;
}

/**
 * Protobuf objects serialise themselves (toJSON: bytes as base64, enums and longs as strings), so a
 * spooled message is revived through fromObject. fromObject drops the key's Baileys-only fields
 * (remoteJidAlt, addressingMode), so the key, a plain object, is put back as it was.
 */
function revive(stored: { key: WAMessage['key'] }): WAMessage {
  const message = proto.WebMessageInfo.fromObject(stored) as WAMessage;
  message.key = stored.key;
  return message;
}

/** Thumbnails are kilobytes each and nothing downstream reads them. */
function replacer(key: string, value: unknown): unknown {
  if (key === 'jpegThumbnail') return undefined;
  return BufferJSON.replacer(key, value);
}

export function createInboundSpool(
  store: ChannelSessionStore,
  namespace: string,
  logger: WhatsAppLogger,
): InboundSpool {
  const entries = new Map<string, WAMessage>();
  let flushing: Promise<void> | undefined;
  let dirty = false;

  // The whole list is one value, since the store cannot list keys. Writes are coalesced: a burst of
  // changes (an offline batch being stored) costs one write in flight plus one for what came after.
  function persist(): Promise<void> {
    dirty = true;
    if (flushing) return flushing;
    flushing = (async () => {
      while (dirty) {
        dirty = false;
        const value = entries.size === 0 ? null : JSON.stringify([...entries.values()], replacer);
        try {
          await store.set(namespace, { [PENDING_KEY]: value });
        } catch (error) {
          // The in-memory retry still holds the messages; only crash-safety is lost until the next write.
          logger.warn(
            { reason: String(error), pending: entries.size },
            'saving pending WhatsApp messages failed',
          );
        }
      }
    })().finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  return {
    async load() {
      const text = (await store.get(namespace, [PENDING_KEY])).get(PENDING_KEY);
      if (text === undefined) return [];
      let messages: WAMessage[];
      try {
        const stored = JSON.parse(text, BufferJSON.reviver) as { key: WAMessage['key'] }[];
        messages = stored.map(revive);
      } catch (error) {
        logger.error({ reason: String(error) }, 'pending WhatsApp messages are unreadable; dropping them');
        await store.set(namespace, { [PENDING_KEY]: null });
        return [];
      }
      for (const message of messages) entries.set(spoolKey(message), message);
      return [...entries.values()];
    },
    add(messages) {
      for (const message of messages) entries.set(spoolKey(message), message);
      return persist();
    },
    remove(message) {
      if (!entries.delete(spoolKey(message))) return Promise.resolve();
      return persist();
    },
  };
}
