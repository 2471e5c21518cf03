import { type BinaryNode, getBinaryNodeChild } from '@whiskeysockets/baileys';
import { phoneUserOf } from './account-identity.ts';
import type { FakeConnection } from './fake-connection.ts';
import type { FakeContacts } from './fake-contacts.ts';
import { childNodes, childrenNamed, contentText, iqResult, nowSeconds } from './server-stanzas.ts';

/** An iq answer's children, and what the server does right after answering. */
export type IqAnswer = { content?: BinaryNode[]; afterAnswer?: () => Promise<void> };

export type IqResponderDeps = {
  contacts: FakeContacts;
  isOwnAccount(connection: FakeConnection, jid: string): boolean;
  /** The LID user the server knows for an account's phone user. */
  accountLidUser(phoneUser: string): string;
  /** Pre-keys the server says it holds for the client; at 5 or fewer Baileys uploads a new batch. */
  preKeyCount(): number;
  onPreKeysUploaded(count: number): void;
  /** `<iq xmlns=md>` pairing-code stanzas. */
  onLinkCode(connection: FakeConnection, iq: BinaryNode): Promise<IqAnswer>;
  /** The client sent `passive/active`: it is ready for the offline batch. */
  onActive(connection: FakeConnection): Promise<void>;
  mediaHost(): string;
};

/** The privacy settings a fresh account has; Baileys reads `readreceipts` before sending read receipts. */
function privacySettings(): BinaryNode[] {
  const categories = {
    last: 'all',
    online: 'all',
    profile: 'all',
    status: 'contacts',
    groupadd: 'all',
    readreceipts: 'all',
  };
  return [
    {
      tag: 'privacy',
      attrs: {},
      content: Object.entries(categories).map(([name, value]) => ({
        tag: 'category',
        attrs: { name, value },
      })),
    },
  ];
}

/**
 * Answers every iq a Baileys client sends. The ones whose answers Baileys reads get real content
 * (pre-key count, digest, key bundles, usync devices/LIDs, media_conn, pairing code); everything else
 * gets an empty `<iq type="result">`, because a query that is never answered hangs the caller for 60 s.
 */
export class IqResponder {
  constructor(private readonly deps: IqResponderDeps) {}

  async answer(connection: FakeConnection, iq: BinaryNode): Promise<void> {
    const { content, afterAnswer } = await this.answerFor(connection, iq);
    await connection.sendNode(iqResult(iq, content));
    await afterAnswer?.();
  }

  private async answerFor(connection: FakeConnection, iq: BinaryNode): Promise<IqAnswer> {
    const { xmlns, type } = iq.attrs;
    const first = childNodes(iq)[0];
    if (xmlns === 'encrypt' && type === 'get') return { content: await this.encryptGet(first) };
    const uploadedPreKeys =
      xmlns === 'encrypt' && type === 'set' ? getBinaryNodeChild(iq, 'list') : undefined;
    if (uploadedPreKeys) {
      this.deps.onPreKeysUploaded(childNodes(uploadedPreKeys).length);
      return {};
    }
    if (xmlns === 'usync') return { content: this.usync(connection, iq) };
    if (xmlns === 'md' && first?.tag === 'link_code_companion_reg')
      return this.deps.onLinkCode(connection, iq);
    if (xmlns === 'w:m' && first?.tag === 'media_conn') return { content: this.mediaConn() };
    if (xmlns === 'privacy' && type === 'get' && first?.tag === 'privacy')
      return { content: privacySettings() };
    if (xmlns === 'blocklist' && type === 'get') return { content: [{ tag: 'list', attrs: {} }] };
    if (xmlns === 'abt' && first?.tag === 'props') {
      return { content: [{ tag: 'props', attrs: { protocol: '1', hash: 'fake-props' } }] };
    }
    if (xmlns === 'passive' && first?.tag === 'active')
      return { afterAnswer: () => this.deps.onActive(connection) };
    return {};
  }

  private async encryptGet(request: BinaryNode | undefined): Promise<BinaryNode[] | undefined> {
    if (request?.tag === 'count') return [{ tag: 'count', attrs: { value: `${this.deps.preKeyCount()}` } }];
    // Baileys only checks that a digest comes back; a missing one makes it re-upload its pre-keys.
    if (request?.tag === 'digest') return [{ tag: 'digest', attrs: {} }];
    if (request?.tag !== 'key') return undefined;
    const users = await Promise.all(
      childrenNamed(request, 'user').map((user) => {
        const jid = user.attrs.jid ?? '';
        return this.deps.contacts.forJid(jid).keyBundleNode(jid);
      }),
    );
    return [{ tag: 'list', attrs: {}, content: users }];
  }

  private usync(connection: FakeConnection, iq: BinaryNode): BinaryNode[] {
    const usync = getBinaryNodeChild(iq, 'usync');
    const protocols = childNodes(getBinaryNodeChild(usync, 'query')).map((node) => node.tag);
    const users = childrenNamed(getBinaryNodeChild(usync, 'list'), 'user').map((user) =>
      this.usyncUser(connection, user, protocols),
    );
    return [
      {
        tag: 'usync',
        attrs: { ...usync?.attrs },
        content: [
          { tag: 'result', attrs: {} },
          { tag: 'list', attrs: {}, content: users },
        ],
      },
    ];
  }

  private usyncUser(connection: FakeConnection, user: BinaryNode, protocols: string[]): BinaryNode {
    const phone = contentText(getBinaryNodeChild(user, 'contact'))?.replace(/^\+/, '');
    const jid = user.attrs.jid ?? `${phone}@s.whatsapp.net`;
    const isLid = jid.endsWith('@lid');
    const own = connection.clientJid ? phoneUserOf(connection.clientJid) : undefined;
    const isOwnAccount = this.deps.isOwnAccount(connection, jid);
    const contact = isOwnAccount ? undefined : this.deps.contacts.forJid(jid);
    const content: BinaryNode[] = [];
    for (const protocol of protocols) {
      if (protocol === 'devices') content.push(this.devicesNode(connection, isOwnAccount));
      if (protocol === 'contact') content.push({ tag: 'contact', attrs: { type: 'in' } });
      if (protocol === 'lid' && !isLid) {
        const lidUser = isOwnAccount && own ? this.deps.accountLidUser(own) : contact?.lidUser;
        if (lidUser) content.push({ tag: 'lid', attrs: { val: `${lidUser}@lid` } });
      }
    }
    return { tag: 'user', attrs: { jid }, content };
  }

  /**
   * A contact has one device, the phone (0). The client's own account has the phone and the client
   * itself. Listing the phone matters: Baileys caches devices per user, and a user with no device
   * left after it drops its own would be looked up (and its sessions re-fetched) on every send.
   */
  private devicesNode(connection: FakeConnection, isOwnAccount: boolean): BinaryNode {
    const ownDevice = connection.clientJid?.match(/:(\d+)@/)?.[1];
    const devices: BinaryNode[] = [{ tag: 'device', attrs: { id: '0' } }];
    if (isOwnAccount && ownDevice)
      devices.push({ tag: 'device', attrs: { id: ownDevice, 'key-index': '1' } });
    return {
      tag: 'devices',
      attrs: {},
      content: [
        { tag: 'device-list', attrs: {}, content: devices },
        { tag: 'key-index-list', attrs: { ts: nowSeconds() } },
      ],
    };
  }

  private mediaConn(): BinaryNode[] {
    return [
      {
        tag: 'media_conn',
        attrs: { auth: 'fake-media-auth', ttl: '3600', auth_ttl: '3600', max_buckets: '1' },
        content: [
          { tag: 'host', attrs: { hostname: this.deps.mediaHost(), maxContentLengthBytes: '104857600' } },
        ],
      },
    ];
  }
}
