import {
  type AuthenticationCreds,
  Curve,
  createSignalIdentity,
  initAuthCreds,
} from '@whiskeysockets/baileys';
import {
  companionDeviceSignature,
  DEFAULT_DEVICE_ID,
  DEFAULT_PHONE_NUMBER,
  lidUserForPhone,
  rememberAccountLid,
  signCompanionIdentity,
} from './account-identity.ts';

export type RegisteredCredsOptions = {
  /** Digits only, with the country code: '6281234567890'. */
  phoneNumber?: string;
  /** The account's LID user ('123…' or '123…@lid'); defaults to the one the fake derives for the number. */
  lid?: string;
  /** The push name; Baileys only announces presence (and sends active receipts) when it has one. */
  name?: string;
  /** This companion's device number on the account. */
  deviceId?: number;
};

/**
 * Creds as if this client had already paired with the phone: `initAuthCreds()` plus what
 * `configureSuccessfulPairing` would have stored (me, account, signalIdentities, platform).
 *
 * `accountSyncCounter` is 1 on purpose: it means "this device already did its first history sync",
 * as on any reconnect of an established session. At 0 (a fresh pairing) Baileys 7 waits up to 20 s
 * for the phone's history sync, which the fake never sends, and holds the offline batch's
 * `messages.upsert` until then (the receipts go out at once).
 */
export function registeredCreds(options: RegisteredCredsOptions = {}): AuthenticationCreds {
  const phoneNumber = options.phoneNumber ?? DEFAULT_PHONE_NUMBER;
  const deviceId = options.deviceId ?? DEFAULT_DEVICE_ID;
  const lidUser = (options.lid ?? lidUserForPhone(phoneNumber)).split('@')[0]!.split(':')[0]!;
  if (options.lid) rememberAccountLid(phoneNumber, lidUser);
  const creds = initAuthCreds();
  const accountKeyPair = Curve.generateKeyPair();
  const account = signCompanionIdentity({
    accountKeyPair,
    companionIdentityPublic: creds.signedIdentityKey.public,
    keyIndex: 1,
  });
  account.deviceSignature = companionDeviceSignature(account, creds.signedIdentityKey);
  const lid = `${lidUser}:${deviceId}@lid`;
  return {
    ...creds,
    me: { id: `${phoneNumber}:${deviceId}@s.whatsapp.net`, lid, name: options.name ?? 'Loket Test' },
    account,
    signalIdentities: [createSignalIdentity(lid, accountKeyPair.public)],
    platform: 'android',
    registered: true,
    accountSyncCounter: 1,
  };
}
