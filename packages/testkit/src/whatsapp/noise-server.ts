import {
  aesDecryptGCM,
  aesEncryptGCM,
  Curve,
  hkdf,
  type KeyPair,
  NOISE_MODE,
  NOISE_WA_HEADER,
  proto,
  sha256,
} from '@whiskeysockets/baileys';

/** The encrypted channel after the handshake: one AES-GCM key per direction, a counter as IV. */
export type NoiseTransport = {
  encrypt(plaintext: Uint8Array): Buffer;
  decrypt(ciphertext: Uint8Array): Buffer;
};

export type CompletedHandshake = {
  clientStaticPublic: Uint8Array;
  clientPayload: proto.ClientPayload;
  transport: NoiseTransport;
};

const EMPTY = Buffer.alloc(0);

function counterIv(counter: number): Buffer {
  const iv = Buffer.alloc(12);
  iv.writeUInt32BE(counter, 8);
  return iv;
}

function makeTransport(encKey: Uint8Array, decKey: Uint8Array): NoiseTransport {
  let writeCounter = 0;
  let readCounter = 0;
  return {
    encrypt: (plaintext) => aesEncryptGCM(plaintext, encKey, counterIv(writeCounter++), EMPTY),
    decrypt: (ciphertext) => aesDecryptGCM(ciphertext, decKey, counterIv(readCounter++), EMPTY),
  };
}

/**
 * The responder side of WhatsApp's Noise_XX_25519_AESGCM_SHA256, mirroring Baileys'
 * `makeNoiseHandler` step for step so both sides hash and mix the same bytes in the same order:
 *   <- e            (ClientHello)
 *   -> e, ee, s, es (ServerHello; the payload is the certificate chain)
 *   <- s, se        (ClientFinish; the payload is the ClientPayload: login or registration)
 * Both sides share one cipher key and one counter while handshaking. At the end, HKDF gives the
 * client (write, read) keys; the server uses them the other way round.
 */
export class NoiseServerHandshake {
  private hash: Buffer;
  private salt: Buffer;
  private cipherKey: Buffer;
  private counter = 0;
  private readonly ephemeral: KeyPair = Curve.generateKeyPair();
  private clientEphemeral: Uint8Array | undefined;

  constructor(
    private readonly staticKeyPair: KeyPair,
    private readonly certChain: Uint8Array,
  ) {
    const mode = Buffer.from(NOISE_MODE);
    this.hash = mode.byteLength === 32 ? mode : sha256(mode);
    this.salt = this.hash;
    this.cipherKey = this.hash;
    // The client authenticates the plain WA header, never the optional routing ("ED") prefix.
    this.authenticate(NOISE_WA_HEADER);
  }

  /** Handles the ClientHello and returns the encoded ServerHello to send back. */
  respondToHello(clientHelloFrame: Uint8Array): Uint8Array {
    const { clientHello } = proto.HandshakeMessage.decode(clientHelloFrame);
    const clientEphemeral = clientHello?.ephemeral;
    if (clientEphemeral?.length !== 32) throw new Error('fake whatsapp: bad ClientHello');
    this.clientEphemeral = clientEphemeral;
    this.authenticate(clientEphemeral);

    this.authenticate(this.ephemeral.public);
    this.mixIntoKey(Curve.sharedKey(this.ephemeral.private, clientEphemeral));
    const encryptedStatic = this.encrypt(this.staticKeyPair.public);
    this.mixIntoKey(Curve.sharedKey(this.staticKeyPair.private, clientEphemeral));
    const encryptedCertChain = this.encrypt(this.certChain);
    return proto.HandshakeMessage.encode({
      serverHello: { ephemeral: this.ephemeral.public, static: encryptedStatic, payload: encryptedCertChain },
    }).finish();
  }

  /** Handles the ClientFinish: learns the client's static (noise) key and its ClientPayload. */
  finish(clientFinishFrame: Uint8Array): CompletedHandshake {
    if (!this.clientEphemeral) throw new Error('fake whatsapp: ClientFinish before ClientHello');
    const { clientFinish } = proto.HandshakeMessage.decode(clientFinishFrame);
    if (!clientFinish?.static || !clientFinish.payload) throw new Error('fake whatsapp: bad ClientFinish');
    const clientStaticPublic = this.decrypt(clientFinish.static);
    this.mixIntoKey(Curve.sharedKey(this.ephemeral.private, clientStaticPublic));
    const clientPayload = proto.ClientPayload.decode(this.decrypt(clientFinish.payload));
    const [clientWrite, clientRead] = this.expand(EMPTY);
    return { clientStaticPublic, clientPayload, transport: makeTransport(clientRead, clientWrite) };
  }

  private authenticate(data: Uint8Array): void {
    this.hash = sha256(Buffer.concat([this.hash, data]));
  }

  private encrypt(plaintext: Uint8Array): Buffer {
    const ciphertext = aesEncryptGCM(plaintext, this.cipherKey, counterIv(this.counter++), this.hash);
    this.authenticate(ciphertext);
    return ciphertext;
  }

  private decrypt(ciphertext: Uint8Array): Buffer {
    const plaintext = aesDecryptGCM(ciphertext, this.cipherKey, counterIv(this.counter++), this.hash);
    this.authenticate(ciphertext);
    return plaintext;
  }

  private expand(inputKeyMaterial: Uint8Array): [Buffer, Buffer] {
    const key = Buffer.from(hkdf(inputKeyMaterial, 64, { salt: this.salt, info: '' }));
    return [key.subarray(0, 32), key.subarray(32)];
  }

  private mixIntoKey(sharedSecret: Uint8Array): void {
    const [write, read] = this.expand(sharedSecret);
    this.salt = write;
    this.cipherKey = read;
    this.counter = 0;
  }
}
