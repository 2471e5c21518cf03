import {
  constants,
  createDecipheriv,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
} from 'node:crypto';

/**
 * The app never sends a password in clear: it asks `qe/sync` for Instagram's RSA public key (headers
 * `ig-set-password-encryption-key-id` and `-pub-key`) and sends `enc_password` =
 * `#PWD_INSTAGRAM:4:<time>:<base64>`, the base64 of
 * `[1, keyId] ‖ iv(12) ‖ rsaLength(2, LE) ‖ RSA-PKCS1(aesKey) ‖ gcmTag(16) ‖ AES-256-GCM(password)`
 * with `<time>` as additional data. The fake holds the private half, so it checks the password the
 * way Instagram does instead of trusting a field.
 */
export type PasswordKeys = { keyId: number; publicKeyHeader: string; privateKey: KeyObject };

let shared: PasswordKeys | undefined;

/** One key pair for every fake in the process: generating RSA keys per test would only cost time. */
export function passwordKeys(): PasswordKeys {
  if (!shared) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    shared = { keyId: 41, publicKeyHeader: Buffer.from(pem).toString('base64'), privateKey };
  }
  return shared;
}

/** RSA_PKCS1_PADDING is refused for private decryption since Node 20.11, so the padding is undone by hand. */
function unpadPkcs1Type2(block: Buffer): Buffer {
  if (block[0] !== 0 || block[1] !== 2) throw new Error('bad PKCS#1 padding');
  const separator = block.indexOf(0, 2);
  if (separator < 10) throw new Error('bad PKCS#1 padding');
  return block.subarray(separator + 1);
}

export function decryptPassword(encPassword: string, keys: PasswordKeys): string {
  const match = /^#PWD_INSTAGRAM:4:(\d+):([A-Za-z0-9+/=]+)$/.exec(encPassword);
  if (!match?.[1] || !match[2]) throw new Error('enc_password is not #PWD_INSTAGRAM:4:<time>:<data>');
  const time = match[1];
  const data = Buffer.from(match[2], 'base64');
  if (data[0] !== 1 || data[1] !== keys.keyId) throw new Error('enc_password uses an unknown key');
  const iv = data.subarray(2, 14);
  const rsaLength = data.readInt16LE(14);
  const rsaEncrypted = data.subarray(16, 16 + rsaLength);
  const tag = data.subarray(16 + rsaLength, 32 + rsaLength);
  const encrypted = data.subarray(32 + rsaLength);
  const aesKey = unpadPkcs1Type2(
    privateDecrypt({ key: keys.privateKey, padding: constants.RSA_NO_PADDING }, rsaEncrypted),
  );
  const decipher = createDecipheriv('aes-256-gcm', aesKey, iv);
  decipher.setAAD(Buffer.from(time));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(encrypted), decipher.final()]).toString('utf8');
}
