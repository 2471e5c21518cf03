import { createHash } from 'node:crypto';
import {
  Curve,
  hmacSign,
  type KeyPair,
  proto,
  WA_ADV_ACCOUNT_SIG_PREFIX,
  WA_ADV_DEVICE_SIG_PREFIX,
} from '@whiskeysockets/baileys';

export const DEFAULT_PHONE_NUMBER = '6281234567890';
export const DEFAULT_DEVICE_ID = 21;

/**
 * A stable LID for a phone number. Real LIDs are opaque 14–15 digit numbers the server assigns; the
 * fake derives one from the number so that `registeredCreds()` and the fake's `<success lid=…>` agree
 * without the test wiring them together.
 */
export function lidUserForPhone(phoneNumber: string): string {
  const digest = createHash('sha256').update(`lid:${phoneNumber}`).digest();
  return (100_000_000_000_000n + (digest.readBigUInt64BE(0) % 900_000_000_000_000n)).toString();
}

/**
 * LIDs chosen by `registeredCreds({ lid })` in this process. The fake runs in the same process as the
 * test, and the client never sends its LID at login, so this is how the fake's `<success lid=…>`
 * repeats the LID the creds were made with instead of overwriting it.
 */
const chosenLids = new Map<string, string>();

export function rememberAccountLid(phoneNumber: string, lidUser: string): void {
  chosenLids.set(phoneNumber, lidUser);
}

export function chosenAccountLid(phoneNumber: string): string | undefined {
  return chosenLids.get(phoneNumber);
}

export function phoneUserOf(jid: string): string {
  return jid.split('@')[0]!.split(':')[0]!;
}

/**
 * What the phone signs when it links a companion: the device identity (`ADVDeviceIdentity`) and the
 * account signature over it and the companion's identity key. Baileys checks the signature in
 * `configureSuccessfulPairing`, adds its own device signature, and sends it in every `pkmsg`.
 */
export function signCompanionIdentity(options: {
  accountKeyPair: KeyPair;
  companionIdentityPublic: Uint8Array;
  keyIndex: number;
}): proto.IADVSignedDeviceIdentity {
  const details = proto.ADVDeviceIdentity.encode({
    rawId: Math.floor(Math.random() * 2 ** 31),
    timestamp: Math.floor(Date.now() / 1000),
    keyIndex: options.keyIndex,
  }).finish();
  const accountSignature = Curve.sign(
    options.accountKeyPair.private,
    Buffer.concat([WA_ADV_ACCOUNT_SIG_PREFIX, details, options.companionIdentityPublic]),
  );
  return { details, accountSignatureKey: options.accountKeyPair.public, accountSignature };
}

/** The companion's own signature, the half Baileys adds after pairing (`deviceSignature`). */
export function companionDeviceSignature(
  signed: proto.IADVSignedDeviceIdentity,
  companionIdentity: KeyPair,
): Uint8Array {
  return Curve.sign(
    companionIdentity.private,
    Buffer.concat([
      WA_ADV_DEVICE_SIG_PREFIX,
      signed.details!,
      companionIdentity.public,
      signed.accountSignatureKey!,
    ]),
  );
}

/** The `<device-identity>` of a `pair-success`: the signed identity, HMAC'd with the QR's adv secret. */
export function encodePairSuccessIdentity(
  signed: proto.IADVSignedDeviceIdentity,
  advSecretKey: Uint8Array,
): Uint8Array {
  const details = proto.ADVSignedDeviceIdentity.encode(signed).finish();
  return proto.ADVSignedDeviceIdentityHMAC.encode({
    details,
    hmac: hmacSign(details, advSecretKey),
  }).finish();
}
