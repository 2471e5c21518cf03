import {
  type AuthenticationCreds,
  addTransactionCapability,
  type BinaryNode,
  Curve,
  DEFAULT_CONNECTION_CONFIG,
  encodeBigEndian,
  initAuthCreds,
  KEY_BUNDLE_TYPE,
  type makeWASocket,
  proto,
  type SignalRepositoryWithLIDStore,
  unpadRandomMax16,
  xmppPreKey,
  xmppSignedPreKey,
} from '@whiskeysockets/baileys';
import { lidUserForPhone } from './account-identity.ts';

/** Baileys' logger contract; the package does not export the `BaileysLogger` type by name. */
export type BaileysLogger = NonNullable<Parameters<typeof makeWASocket>[0]['logger']>;

import { createMemorySignalKeyStore } from './memory-auth-state.ts';

/**
 * A citizen's phone as the fake holds it: a phone number, a LID and a real Signal identity. When the
 * client asks for this user's key bundle the fake hands out a fresh one-time pre-key, and when the
 * client's `pkmsg`/`msg` arrives the fake decrypts it with Baileys' own repository acting as the
 * recipient. That is the only way to prove an outbound message really was end-to-end encrypted.
 */
export class FakeContact {
  readonly creds: AuthenticationCreds = initAuthCreds();
  private readonly repository: SignalRepositoryWithLIDStore;
  private readonly keys = createMemorySignalKeyStore();
  private nextPreKeyId = 1;

  constructor(
    public phoneUser: string | undefined,
    public lidUser: string | undefined,
    logger: BaileysLogger,
  ) {
    const keys = addTransactionCapability(this.keys, logger, { maxCommitRetries: 1, delayBetweenTriesMs: 0 });
    this.repository = DEFAULT_CONNECTION_CONFIG.makeSignalRepository({ creds: this.creds, keys }, logger);
  }

  /** The `<user>` of an `encrypt`/`key` answer: identity, signed pre-key and a one-time pre-key. */
  async keyBundleNode(jid: string): Promise<BinaryNode> {
    const preKeyId = this.nextPreKeyId++;
    const preKey = Curve.generateKeyPair();
    await this.keys.set({ 'pre-key': { [preKeyId]: preKey } });
    return {
      tag: 'user',
      attrs: { jid },
      content: [
        { tag: 'registration', attrs: {}, content: encodeBigEndian(this.creds.registrationId) },
        { tag: 'type', attrs: {}, content: KEY_BUNDLE_TYPE },
        { tag: 'identity', attrs: {}, content: this.creds.signedIdentityKey.public },
        xmppSignedPreKey(this.creds.signedPreKey),
        xmppPreKey(preKey, preKeyId),
      ],
    };
  }

  /** Decrypts what `senderJid` (the client's device) encrypted for this contact. */
  async decrypt(senderJid: string, type: 'pkmsg' | 'msg', ciphertext: Uint8Array): Promise<proto.Message> {
    const padded = await this.repository.decryptMessage({ jid: senderJid, type, ciphertext });
    return proto.Message.decode(unpadRandomMax16(padded));
  }
}

/** The fake's address book, reachable by phone user or LID user. */
export class FakeContacts {
  private readonly byUser = new Map<string, FakeContact>();

  constructor(private readonly logger: BaileysLogger) {}

  /** Records that a LID and a phone number are one person (the server knows both). */
  link(phoneUser: string, lidUser: string): FakeContact {
    // Keep the existing Signal identity: the person is the same, only the server learnt more about them.
    const contact =
      this.byUser.get(lidUser) ??
      this.byUser.get(phoneUser) ??
      new FakeContact(phoneUser, lidUser, this.logger);
    contact.phoneUser = phoneUser;
    contact.lidUser = lidUser;
    this.byUser.set(phoneUser, contact);
    this.byUser.set(lidUser, contact);
    return contact;
  }

  /**
   * The contact behind a JID, created on first sight: WhatsApp answers for any registered number, and
   * a phone number's LID is derived so that repeated lookups agree.
   */
  forJid(jid: string): FakeContact {
    const [userPart = '', server = ''] = jid.split('@');
    const user = userPart.split(':')[0]!;
    const known = this.byUser.get(user);
    if (known) return known;
    if (server === 'lid') {
      const contact = new FakeContact(undefined, user, this.logger);
      this.byUser.set(user, contact);
      return contact;
    }
    return this.link(user, lidUserForPhone(user));
  }
}
