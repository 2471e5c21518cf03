import { Curve, type KeyPair } from '@whiskeysockets/baileys';
import { chosenAccountLid, lidUserForPhone, phoneUserOf } from './account-identity.ts';
import type { FakeConnection } from './fake-connection.ts';

/**
 * The WhatsApp accounts (phones) the fake knows: each has a LID and an identity key pair, made on first
 * use so that pairing, `<success lid=…>` and usync answers all agree about the same account.
 */
export class FakeAccounts {
  private readonly lids = new Map<string, string>();
  private readonly keyPairs = new Map<string, KeyPair>();

  constructor(accounts: { phoneNumber: string; lid: string }[] = []) {
    for (const { phoneNumber, lid } of accounts) this.lids.set(phoneNumber, phoneUserOf(lid));
  }

  lidUser(phoneUser: string): string {
    let lid = this.lids.get(phoneUser);
    if (!lid) {
      lid = chosenAccountLid(phoneUser) ?? lidUserForPhone(phoneUser);
      this.lids.set(phoneUser, lid);
    }
    return lid;
  }

  /** The phone's identity: it signs linked devices and answers pairing codes. */
  keyPair(phoneUser: string): KeyPair {
    let keyPair = this.keyPairs.get(phoneUser);
    if (!keyPair) {
      keyPair = Curve.generateKeyPair();
      this.keyPairs.set(phoneUser, keyPair);
    }
    return keyPair;
  }

  /** Whether a JID (phone or LID, any device) belongs to the account this connection logged in as. */
  isOwnAccount(connection: FakeConnection, jid: string): boolean {
    if (!connection.clientJid) return false;
    const own = phoneUserOf(connection.clientJid);
    const user = phoneUserOf(jid);
    return user === own || user === this.lidUser(own);
  }
}
