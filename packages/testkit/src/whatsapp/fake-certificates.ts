import { Curve, type KeyPair, proto, WA_CERT_DETAILS } from '@whiskeysockets/baileys';

/**
 * The fake's certificate authority. The client checks the Noise server's certificate chain against
 * `WA_CERT_DETAILS.PUBLIC_KEY`, so one root per process is enough: every fake in a test file shares it
 * and `trustFakeWhatsAppCertificates` only has to swap the key once.
 */
export type FakeCertificateAuthority = {
  rootKeyPair: KeyPair;
  intermediateKeyPair: KeyPair;
};

let processAuthority: FakeCertificateAuthority | undefined;

export function fakeCertificateAuthority(): FakeCertificateAuthority {
  processAuthority ??= {
    rootKeyPair: Curve.generateKeyPair(),
    intermediateKeyPair: Curve.generateKeyPair(),
  };
  return processAuthority;
}

/**
 * The `CertChain` a real WhatsApp edge server sends in its ServerHello payload: an intermediate
 * certificate signed by the root, and a leaf for the server's static Noise key signed by the
 * intermediate. `issuerSerial` must equal `WA_CERT_DETAILS.SERIAL` or Baileys refuses the chain.
 */
export function buildCertChain(
  authority: FakeCertificateAuthority,
  serverStaticPublic: Uint8Array,
): Uint8Array {
  const now = Math.floor(Date.now() / 1000);
  const intermediateDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: 1,
    issuerSerial: WA_CERT_DETAILS.SERIAL,
    key: authority.intermediateKeyPair.public,
    notBefore: now - 3600,
    notAfter: now + 86_400,
  }).finish();
  const leafDetails = proto.CertChain.NoiseCertificate.Details.encode({
    serial: 2,
    issuerSerial: 1,
    key: serverStaticPublic,
    notBefore: now - 3600,
    notAfter: now + 86_400,
  }).finish();
  return proto.CertChain.encode({
    intermediate: {
      details: intermediateDetails,
      signature: Curve.sign(authority.rootKeyPair.private, intermediateDetails),
    },
    leaf: {
      details: leafDetails,
      signature: Curve.sign(authority.intermediateKeyPair.private, leafDetails),
    },
  }).finish();
}
