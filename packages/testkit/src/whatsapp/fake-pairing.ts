import { randomBytes } from 'node:crypto';
import {
  aesDecryptCTR,
  aesDecryptGCM,
  aesEncryptCTR,
  type BinaryNode,
  Curve,
  derivePairingCodeKey,
  getBinaryNodeChild,
  hkdf,
  type KeyPair,
} from '@whiskeysockets/baileys';
import { encodePairSuccessIdentity, phoneUserOf, signCompanionIdentity } from './account-identity.ts';
import type { FakeConnection } from './fake-connection.ts';
import type { IqAnswer } from './iq-responder.ts';
import {
  contentBytes,
  contentText,
  nowSeconds,
  SERVER_JID,
  serverStanzaId,
  streamErrorNode,
} from './server-stanzas.ts';

export type PairingCodeRequest = {
  /** The number the companion asked to link with (digits only). */
  phoneNumber: string;
  /**
   * The code the client showed. The wire never carries it (only a PBKDF2-wrapped key), so it is ''
   * until a test types it into the fake phone with `enterPairingCode(code)` and the client's key
   * bundle decrypts with it; then it holds that proven code.
   */
  code: string;
  /** e.g. 'Chrome (Mac OS)': what the phone lists as the linked device. */
  platformDisplay: string;
  ref: string;
};

export type PairedDevice = { jid: string; lid: string };

export type PairingDeps = {
  accountLidUser(phoneUser: string): string;
  accountKeyPair(phoneUser: string): KeyPair;
};

type CodeSession = {
  request: PairingCodeRequest;
  connection: FakeConnection;
  wrappedCompanionEphemeral: Buffer;
  primaryEphemeral?: KeyPair;
  candidateCode?: string;
};

/**
 * The phone's half of linking a companion, for both ways a person does it: scanning the QR
 * (`scanQr`) or typing the 8-character code (`enterPairingCode`). Both end the way the real server
 * does: `pair-success`, the companion's signed reply, then `<stream:error code=515>` so that the
 * client reconnects and logs in with its new identity.
 */
export class FakePairing {
  readonly pairingCodeRequests: PairingCodeRequest[] = [];
  readonly pairedDevices: PairedDevice[] = [];
  private readonly codeSessions: CodeSession[] = [];
  private readonly awaitingSignature = new Map<FakeConnection, PairedDevice>();
  private nextDeviceId = 21;

  constructor(private readonly deps: PairingDeps) {}

  /** `<iq xmlns=md><link_code_companion_reg stage=…>` from the companion. */
  async onLinkCode(connection: FakeConnection, iq: BinaryNode): Promise<IqAnswer> {
    const reg = getBinaryNodeChild(iq, 'link_code_companion_reg');
    if (reg?.attrs.stage === 'companion_hello') return { content: this.onCompanionHello(connection, reg) };
    if (reg?.attrs.stage === 'companion_finish') return this.onCompanionFinish(connection, reg);
    return {};
  }

  /** The companion's answer to `pair-success`; the server then restarts the stream. */
  async onIqResult(connection: FakeConnection, iq: BinaryNode): Promise<void> {
    const device = this.awaitingSignature.get(connection);
    if (!device || !getBinaryNodeChild(iq, 'pair-device-sign')) return;
    this.awaitingSignature.delete(connection);
    this.pairedDevices.push(device);
    await connection.sendNode(streamErrorNode(515));
    connection.close();
  }

  /** A phone scanning the QR the client emitted in `connection.update`. */
  async scanQr(connection: FakeConnection, qr: string, phoneNumber: string): Promise<void> {
    const [, identityB64, advB64] = (qr.split('#')[1] ?? '').split(',').slice(1);
    if (!identityB64 || !advB64) throw new Error(`fake whatsapp: not a pairing QR: ${qr}`);
    await this.sendPairSuccess(
      connection,
      phoneNumber,
      Buffer.from(identityB64, 'base64'),
      Buffer.from(advB64, 'base64'),
    );
  }

  /** A person typing the code into the phone: the phone answers with its wrapped ephemeral key. */
  async enterPairingCode(code: string): Promise<void> {
    const session = this.codeSessions.at(-1);
    if (!session) throw new Error('fake whatsapp: no pairing code was requested');
    const primaryEphemeral = Curve.generateKeyPair();
    const primaryIdentity = this.deps.accountKeyPair(session.request.phoneNumber);
    session.primaryEphemeral = primaryEphemeral;
    session.candidateCode = code;
    // A wrong code is not detectable yet (AES-CTR has no tag); it shows when companion_finish fails.
    await session.connection.sendNode({
      tag: 'notification',
      attrs: { from: SERVER_JID, type: 'link_code_companion_reg', id: serverStanzaId(), t: nowSeconds() },
      content: [
        {
          tag: 'link_code_companion_reg',
          attrs: { stage: 'primary_hello' },
          content: [
            { tag: 'link_code_pairing_ref', attrs: {}, content: Buffer.from(session.request.ref) },
            { tag: 'primary_identity_pub', attrs: {}, content: primaryIdentity.public },
            {
              tag: 'link_code_pairing_wrapped_primary_ephemeral_pub',
              attrs: {},
              content: await wrapWithCode(code, primaryEphemeral.public),
            },
          ],
        },
      ],
    });
  }

  private onCompanionHello(connection: FakeConnection, reg: BinaryNode): BinaryNode[] {
    const ref = randomBytes(16).toString('base64url');
    const request: PairingCodeRequest = {
      phoneNumber: phoneUserOf(reg.attrs.jid ?? ''),
      code: '',
      platformDisplay: contentText(getBinaryNodeChild(reg, 'companion_platform_display')) ?? '',
      ref,
    };
    const wrapped = contentBytes(
      getBinaryNodeChild(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub'),
    );
    if (!wrapped) throw new Error('fake whatsapp: companion_hello without a wrapped ephemeral key');
    this.pairingCodeRequests.push(request);
    this.codeSessions.push({ request, connection, wrappedCompanionEphemeral: wrapped });
    return [
      {
        tag: 'link_code_companion_reg',
        attrs: {},
        content: [{ tag: 'link_code_pairing_ref', attrs: {}, content: Buffer.from(ref) }],
      },
    ];
  }

  private async onCompanionFinish(connection: FakeConnection, reg: BinaryNode): Promise<IqAnswer> {
    const session = this.codeSessions.find((candidate) => candidate.connection === connection);
    if (!session?.primaryEphemeral || !session.candidateCode) return {};
    const bundle = contentBytes(getBinaryNodeChild(reg, 'link_code_pairing_wrapped_key_bundle'));
    if (!bundle) throw new Error('fake whatsapp: companion_finish without a key bundle');
    const companionEphemeral = await unwrapWithCode(session.candidateCode, session.wrappedCompanionEphemeral);
    const companionShared = Curve.sharedKey(session.primaryEphemeral.private, companionEphemeral);
    const bundleKey = hkdf(companionShared, 32, {
      salt: bundle.subarray(0, 32),
      info: 'link_code_pairing_key_bundle_encryption_key',
    });
    // AES-GCM authenticates: if this decrypts, the code the test typed is the code the client showed.
    const plain = aesDecryptGCM(bundle.subarray(44), bundleKey, bundle.subarray(32, 44), Buffer.alloc(0));
    session.request.code = session.candidateCode;
    const companionIdentity = plain.subarray(0, 32);
    const primaryIdentity = this.deps.accountKeyPair(session.request.phoneNumber);
    const identityShared = Curve.sharedKey(primaryIdentity.private, companionIdentity);
    const advSecret = hkdf(Buffer.concat([companionShared, identityShared, plain.subarray(64, 96)]), 32, {
      info: 'adv_secret',
    });
    // The real server answers companion_finish before it pushes pair-success; keep that order.
    return {
      afterAnswer: () =>
        this.sendPairSuccess(connection, session.request.phoneNumber, companionIdentity, advSecret),
    };
  }

  private async sendPairSuccess(
    connection: FakeConnection,
    phoneNumber: string,
    companionIdentityPublic: Uint8Array,
    advSecret: Uint8Array,
  ): Promise<void> {
    const deviceId = this.nextDeviceId++;
    const device: PairedDevice = {
      jid: `${phoneNumber}:${deviceId}@s.whatsapp.net`,
      lid: `${this.deps.accountLidUser(phoneNumber)}:${deviceId}@lid`,
    };
    const signed = signCompanionIdentity({
      accountKeyPair: this.deps.accountKeyPair(phoneNumber),
      companionIdentityPublic,
      keyIndex: 1,
    });
    this.awaitingSignature.set(connection, device);
    await connection.sendNode({
      tag: 'iq',
      attrs: { from: SERVER_JID, type: 'set', id: serverStanzaId(), xmlns: 'md' },
      content: [
        {
          tag: 'pair-success',
          attrs: {},
          content: [
            { tag: 'device-identity', attrs: {}, content: encodePairSuccessIdentity(signed, advSecret) },
            { tag: 'platform', attrs: { name: 'android' } },
            { tag: 'device', attrs: { jid: device.jid, lid: device.lid } },
          ],
        },
      ],
    });
  }
}

/** The pairing code wraps an ephemeral key as salt(32) | iv(16) | AES-CTR(key) under PBKDF2(code, salt). */
async function unwrapWithCode(code: string, wrapped: Buffer): Promise<Buffer> {
  const key = await derivePairingCodeKey(code, wrapped.subarray(0, 32));
  return aesDecryptCTR(wrapped.subarray(48, 80), key, wrapped.subarray(32, 48));
}

async function wrapWithCode(code: string, publicKey: Uint8Array): Promise<Buffer> {
  const salt = randomBytes(32);
  const iv = randomBytes(16);
  const key = await derivePairingCodeKey(code, salt);
  return Buffer.concat([salt, iv, aesEncryptCTR(publicKey, key, iv)]);
}
