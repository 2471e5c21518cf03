import { Agent } from 'node:https';

/**
 * A self-signed certificate for 127.0.0.1, for the fake's media upload host. Baileys uploads media
 * to `https://<media_conn host>` and nothing else, so the fake needs TLS there. This key protects
 * nothing: it is public, test-only and only ever served on loopback. Made once with
 *   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
 *     -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost"
 */
export const FAKE_MEDIA_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgpbaX8L2NPERkYtOx
GzLoo7ApVkADQ8jSfxuEiLy3B5ihRANCAASjxamh5ySpXoxaEZWzS+dwUmxMsWc/
p+EgEuaMr7bHn9kUlczjyAnz8qe26ZxtR0FwW4+oL3oqpAsjAOFtPnr6
-----END PRIVATE KEY-----
`;

export const FAKE_MEDIA_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUdKBZm7tJIWDPABrfJpWQoyyQxw0wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEzMDAwMDk1OFoYDzIxMjYxMTA2
MDAwOTU4WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASjxamh5ySpXoxaEZWzS+dwUmxMsWc/p+EgEuaMr7bHn9kUlczjyAnz
8qe26ZxtR0FwW4+oL3oqpAsjAOFtPnr6o28wbTAdBgNVHQ4EFgQUPmHVoxldVYJs
DvcDnsI95zJdnW4wHwYDVR0jBBgwFoAUPmHVoxldVYJsDvcDnsI95zJdnW4wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIgDHrhaundPPsXZgmgYmbqqWWWPL1+udug1TjgX+fQBmsCIQCR
GYbr+OdykPVR94LNWeuDRcRXjK0Szoshlqu9thodTw==
-----END CERTIFICATE-----
`;

/**
 * An HTTPS agent that trusts only the fake's certificate. Pass it to `makeWASocket({ fetchAgent })`
 * so outbound media uploads reach the fake; nothing else in the process is affected.
 */
export function fakeMediaUploadAgent(): Agent {
  return new Agent({ ca: FAKE_MEDIA_TLS_CERT });
}
