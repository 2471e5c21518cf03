import { createHmac, randomBytes } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { aesDecryptWithIV, encryptedStream, getMediaKeys, type MediaType } from '@whiskeysockets/baileys';

export type MediaKind = 'document' | 'image';

export type StoredMedia = {
  url: string;
  mediaKey: Uint8Array;
  fileSha256: Uint8Array;
  fileEncSha256: Uint8Array;
  fileLength: number;
};

/** Where an outbound media message points: Baileys fills both after an upload. */
export type MediaLocator = { url?: string | null; directPath?: string | null; mediaKey?: Uint8Array | null };

const MAC_LENGTH = 10;

/**
 * WhatsApp's media CDN, reduced to what the tests need.
 * - Inbound: files encrypted exactly as a sender's phone encrypts them (`encryptedStream`), served
 *   over plain HTTP on loopback. Messages carry the full `url` and no `directPath`, so Baileys
 *   downloads from here instead of mmg.whatsapp.net.
 * - Outbound: Baileys POSTs the encrypted file to `https://<media_conn host>/mms/<type>/<hash>`; the
 *   fake keeps it and answers `{ url, direct_path }`, then decrypts it with the message's mediaKey
 *   the way the recipient's phone would.
 */
export class FakeMediaStore {
  /** Paths the client downloaded, in order, so tests can see a download really happened. */
  readonly downloads: string[] = [];
  /** Paths the client uploaded, in order. */
  readonly uploads: string[] = [];
  private readonly files = new Map<string, Buffer>();

  constructor(
    private readonly httpBaseUrl: () => string,
    private readonly httpsBaseUrl: () => string,
  ) {}

  async store(bytes: Uint8Array, kind: MediaKind): Promise<StoredMedia> {
    const encrypted = await encryptedStream(Buffer.from(bytes), kind);
    const body = await readFile(encrypted.encFilePath);
    await unlink(encrypted.encFilePath).catch(() => {});
    const path = `/mms/${kind}/${randomBytes(16).toString('hex')}.enc`;
    this.files.set(path, body);
    return {
      url: `${this.httpBaseUrl()}${path}`,
      mediaKey: encrypted.mediaKey,
      fileSha256: encrypted.fileSha256,
      fileEncSha256: encrypted.fileEncSha256,
      fileLength: encrypted.fileLength,
    };
  }

  /** Serves downloads and takes uploads; returns false when the request is not for media. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method === 'POST' && path.startsWith('/mms/')) {
      await this.acceptUpload(request, response);
      return true;
    }
    if (!path.startsWith('/mms/') && !path.startsWith('/v/')) return false;
    const body = this.files.get(path);
    if (!body || request.method !== 'GET') {
      response.writeHead(404).end();
      return true;
    }
    this.downloads.push(path);
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    response.end(body);
    return true;
  }

  /** The plaintext of an uploaded file, checked against its MAC; undefined if the fake never got it. */
  async decryptUploaded(locator: MediaLocator, mediaType: MediaType): Promise<Buffer | undefined> {
    const path = locator.directPath || (locator.url ? new URL(locator.url).pathname : undefined);
    const body = path ? this.files.get(path) : undefined;
    if (!body || !locator.mediaKey) return undefined;
    const { iv, cipherKey, macKey } = await getMediaKeys(locator.mediaKey, mediaType);
    if (!macKey) throw new Error(`fake whatsapp: no MAC key for ${mediaType}`);
    const ciphertext = body.subarray(0, body.length - MAC_LENGTH);
    const mac = createHmac('sha256', macKey).update(iv).update(ciphertext).digest().subarray(0, MAC_LENGTH);
    if (!mac.equals(body.subarray(body.length - MAC_LENGTH)))
      throw new Error(`fake whatsapp: bad media MAC for ${path}`);
    return aesDecryptWithIV(ciphertext, cipherKey, iv);
  }

  private async acceptUpload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const directPath = `/v/t62.fake/${randomBytes(16).toString('hex')}.enc`;
    this.files.set(directPath, Buffer.concat(chunks));
    this.uploads.push(directPath);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ url: `${this.httpsBaseUrl()}${directPath}`, direct_path: directPath }));
  }
}
