import {
  type BinaryNode,
  cleanMessage,
  decryptMessageNode,
  proto,
  type SignalRepositoryWithLIDStore,
  type WAMessage,
} from '@whiskeysockets/baileys';
import { silentLogger, toBaileysLogger } from '../src/baileys-logger.ts';

/** The office's own account, as the socket knows it after login. */
export const OFFICE_PN = '6281100000000:7@s.whatsapp.net';
export const OFFICE_LID = '99000000000001:7@lid';

/**
 * Only the LID store is reached for a `<plaintext>` node (to look up a phone sender's LID); nothing
 * else of the Signal repository is touched, so a stub stands in for it.
 */
const repository = {
  lidMapping: { getLIDForPN: async () => null, getPNForLID: async () => null },
} as unknown as SignalRepositoryWithLIDStore;

export type InboundStanza = {
  from: string;
  id?: string;
  /** Unix seconds. */
  t?: number;
  pushName?: string;
  participant?: string;
  /** Extra stanza attributes: sender_pn, sender_lid, participant_pn, addressing_mode, … */
  attrs?: Record<string, string>;
  message: proto.IMessage;
};

let counter = 0;

/**
 * Builds a received message exactly the way the socket does: a `<message>` stanza with a
 * `<plaintext>` child, through Baileys' decryptMessageNode and cleanMessage. Building it with
 * proto.WebMessageInfo.fromObject instead would silently drop `remoteJidAlt` and `addressingMode`.
 */
export async function receivedMessage(stanza: InboundStanza): Promise<WAMessage> {
  counter += 1;
  const attrs: Record<string, string> = {
    from: stanza.from,
    id: stanza.id ?? `3EB0${String(counter).padStart(12, '0')}`,
    t: String(stanza.t ?? 1_740_000_000),
    type: 'text',
    ...(stanza.pushName === undefined ? {} : { notify: stanza.pushName }),
    ...(stanza.participant === undefined ? {} : { participant: stanza.participant }),
    ...stanza.attrs,
  };
  const node: BinaryNode = {
    tag: 'message',
    attrs,
    content: [{ tag: 'plaintext', attrs: {}, content: proto.Message.encode(stanza.message).finish() }],
  };
  const logger = toBaileysLogger(silentLogger);
  const { fullMessage, decrypt } = decryptMessageNode(node, OFFICE_PN, OFFICE_LID, repository, logger);
  await decrypt();
  cleanMessage(fullMessage, OFFICE_PN, OFFICE_LID);
  return fullMessage;
}
