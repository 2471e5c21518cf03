import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fbtraceId, type GraphCallKind, type GraphFailureSpec } from './graph-failures.ts';
import {
  graphError,
  instagramSend,
  invalidParameter,
  type MessageStores,
  whatsappMediaInfo,
  whatsappSend,
  whatsappUpload,
} from './graph-handlers.ts';
import { type GraphReply, parseMultipart, parseParams, readBody, sendReply } from './graph-http.ts';
import type {
  GraphInstagramMessage,
  GraphInstagramProfile,
  GraphRequestRecord,
  GraphUploadedMedia,
  GraphWhatsAppMessage,
  StoredMedia,
} from './graph-records.ts';

export type FakeGraphOptions = {
  /** The token the WhatsApp routes accept (and the Instagram ones, unless instagramAccessToken is set). */
  accessToken?: string;
  instagramAccessToken?: string;
  phoneNumberId?: string;
  displayPhoneNumber?: string;
  verifiedName?: string;
  igAccountId?: string;
  igUsername?: string;
};

/** Whose token a route wants; `either` for a node id that could be of both (an unknown id). */
type Product = 'whatsapp' | 'instagram' | 'either';

const DEFAULTS = {
  accessToken: 'EAAGfakeLoketSystemUserToken0123456789',
  phoneNumberId: '106540352242922',
  displayPhoneNumber: '+62 21-5550-1234',
  verifiedName: 'Kelurahan Beji',
  igAccountId: '17841405822304914',
  igUsername: 'kelurahan.beji',
};

/**
 * The Graph API on 127.0.0.1, for the WhatsApp Cloud API and Instagram messaging: `/{version}/...`
 * with Bearer tokens, JSON and multipart bodies, Meta's error JSON, the WhatsApp media store behind
 * short-lived URLs, Instagram profiles and CDN attachments. Records what it was sent.
 */
export class FakeGraph {
  readonly accessToken: string;
  readonly instagramAccessToken: string;
  readonly phoneNumberId: string;
  readonly displayPhoneNumber: string;
  readonly verifiedName: string;
  readonly igAccountId: string;
  readonly igUsername: string;
  readonly requests: GraphRequestRecord[] = [];
  readonly whatsappMessages: GraphWhatsAppMessage[] = [];
  readonly instagramMessages: GraphInstagramMessage[] = [];
  readonly uploads: GraphUploadedMedia[] = [];
  private readonly media = new Map<string, StoredMedia>();
  private readonly igAttachments = new Map<string, { bytes: Uint8Array; mime: string }>();
  private readonly igUsers = new Map<string, GraphInstagramProfile>();
  private readonly failures = new Map<GraphCallKind, GraphFailureSpec[]>();
  private readonly stores: MessageStores;
  private revoked = false;
  private lastId = 1_037_543_291_500_000;
  private server: Server | undefined;
  private port = 0;

  constructor(options: FakeGraphOptions = {}) {
    this.accessToken = options.accessToken ?? DEFAULTS.accessToken;
    this.instagramAccessToken = options.instagramAccessToken ?? this.accessToken;
    this.phoneNumberId = options.phoneNumberId ?? DEFAULTS.phoneNumberId;
    this.displayPhoneNumber = options.displayPhoneNumber ?? DEFAULTS.displayPhoneNumber;
    this.verifiedName = options.verifiedName ?? DEFAULTS.verifiedName;
    this.igAccountId = options.igAccountId ?? DEFAULTS.igAccountId;
    this.igUsername = options.igUsername ?? DEFAULTS.igUsername;
    this.stores = {
      media: this.media,
      whatsappMessages: this.whatsappMessages,
      instagramMessages: this.instagramMessages,
      uploads: this.uploads,
      nextId: () => this.nextId(),
    };
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(): Promise<void> {
    const server = createServer((request, response) => {
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          sendReply(response, graphError({ httpStatus: 500, code: 1, message: String(error) }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /**
   * Puts a file in the WhatsApp media store, as if a citizen had sent it; returns its media id.
   * `reportedSize` makes `file_size` lie; `sendLength: false` leaves Content-Length out of the download.
   */
  addMedia(
    bytes: Uint8Array,
    mime: string,
    options: { reportedSize?: number; sendLength?: boolean } = {},
  ): string {
    const id = this.nextId();
    this.media.set(id, {
      id,
      bytes,
      mime,
      reportedSize: options.reportedSize ?? bytes.byteLength,
      sendLength: options.sendLength ?? true,
    });
    return id;
  }

  /** Makes `GET /{igsid}?fields=name,username` answer for this user. */
  addInstagramUser(igsid: string, profile: GraphInstagramProfile): void {
    this.igUsers.set(igsid, profile);
  }

  /** A file on the fake Instagram CDN (no token needed); returns its URL for a webhook attachment. */
  addInstagramAttachment(bytes: Uint8Array, mime = 'image/jpeg', fileName = 'attachment.jpg'): string {
    const assetId = this.nextId();
    this.igAttachments.set(assetId, { bytes, mime });
    return `${this.apiRoot}/ig_messaging_cdn/${encodeURIComponent(fileName)}?asset_id=${assetId}&signature=${fbtraceId()}`;
  }

  /** The next `times` calls of this kind fail this way, in the order queued. */
  failNext(kind: GraphCallKind, failure: GraphFailureSpec, times = 1): void {
    const queue = this.failures.get(kind) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(kind, queue);
  }

  /** From now on every token is answered as expired (code 190), as after a password change. */
  revokeToken(): void {
    this.revoked = true;
  }

  /** Requests whose path ends with `suffix` (e.g. `/messages`), to assert what was called and how. */
  requestsTo(suffix: string): GraphRequestRecord[] {
    return this.requests.filter((request) => request.path.endsWith(suffix));
  }

  private nextId(): string {
    this.lastId += 1;
    return String(this.lastId);
  }

  private tokenOf(request: IncomingMessage, url: URL): string | undefined {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length);
    return url.searchParams.get('access_token') ?? undefined;
  }

  /** Undefined when the token is good for the product; Meta's error answer otherwise. */
  private authorize(product: Product, token: string | undefined): GraphReply | undefined {
    if (token === undefined) {
      return graphError({ code: 104, message: 'An access token is required to request this resource.' });
    }
    const accepted =
      product === 'either'
        ? [this.accessToken, this.instagramAccessToken]
        : [product === 'whatsapp' ? this.accessToken : this.instagramAccessToken];
    if (!accepted.includes(token)) {
      return graphError({
        httpStatus: 401,
        code: 190,
        message: 'Invalid OAuth access token - Cannot parse access token',
      });
    }
    if (this.revoked) {
      return graphError({
        httpStatus: 401,
        code: 190,
        subcode: 463,
        message: 'Error validating access token: Session has expired on Friday, 07-Mar-25 01:00:00 PST.',
      });
    }
    return undefined;
  }

  private takeFailure(kind: GraphCallKind): GraphFailureSpec | undefined {
    return this.failures.get(kind)?.shift();
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.apiRoot);
    const token = this.tokenOf(request, url);
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: request.headers.authorization,
    });
    const body = await readBody(request);
    const resolved = this.resolve(request.method ?? 'GET', url);
    if (!resolved) return sendReply(response, invalidParameter('Unknown path components'));
    const { kind, product, handle } = resolved;

    const denied = product === 'public' ? undefined : this.authorize(product, token);
    if (denied) {
      // The media URL is not a Graph endpoint: it answers a missing token with a plain 401.
      const missingOnMedia = kind === 'media-download' && token === undefined;
      return sendReply(response, missingOnMedia ? { ...denied, status: 401 } : denied);
    }
    const failure = this.takeFailure(kind);
    if (failure && 'network' in failure) return void request.socket.destroy();
    if (failure) return sendReply(response, graphError(failure));
    const contentType = request.headers['content-type'] ?? '';
    sendReply(response, await handle(contentType, body));
  }

  private resolve(
    method: string,
    url: URL,
  ):
    | {
        kind: GraphCallKind;
        product: Product | 'public';
        handle(contentType: string, body: Buffer): GraphReply | Promise<GraphReply>;
      }
    | undefined {
    if (method === 'GET' && url.pathname === '/whatsapp_business/attachments/') {
      const media = this.media.get(url.searchParams.get('mid') ?? '');
      return {
        kind: 'media-download',
        product: 'whatsapp',
        handle: () =>
          media
            ? {
                status: 200,
                bytes: media.bytes,
                headers: { 'content-type': media.mime },
                chunked: !media.sendLength,
              }
            : { status: 404, json: { error: 'not found' } },
      };
    }
    if (method === 'GET' && url.pathname.startsWith('/ig_messaging_cdn/')) {
      const asset = this.igAttachments.get(url.searchParams.get('asset_id') ?? '');
      return {
        kind: 'instagram-attachment',
        product: 'public',
        handle: () =>
          asset
            ? { status: 200, bytes: asset.bytes, headers: { 'content-type': asset.mime } }
            : { status: 404, bytes: Buffer.from('URL signature expired') },
      };
    }
    const match = /^\/v\d+\.\d+\/(.+?)\/?$/.exec(url.pathname);
    if (!match?.[1]) return undefined;
    const segments = match[1].split('/').map(decodeURIComponent);
    const [node, edge] = segments;
    if (segments.length > 2 || !node) return undefined;

    if (method === 'POST' && node === this.phoneNumberId && edge === 'messages') {
      return {
        kind: 'whatsapp-send',
        product: 'whatsapp',
        handle: (type, body) => whatsappSend(parseParams(type, body), this.stores),
      };
    }
    if (method === 'POST' && node === this.phoneNumberId && edge === 'media') {
      return {
        kind: 'media-upload',
        product: 'whatsapp',
        handle: async (type, body) => whatsappUpload(await parseMultipart(type, body), this.stores),
      };
    }
    if (method === 'POST' && node === this.igAccountId && edge === 'messages') {
      return {
        kind: 'instagram-send',
        product: 'instagram',
        handle: (type, body) => instagramSend(parseParams(type, body), this.stores),
      };
    }
    if (method !== 'GET' || edge !== undefined) return undefined;
    return this.resolveNode(node);
  }

  private resolveNode(node: string) {
    if (node === 'me' || node === this.igAccountId) {
      const json = { user_id: this.igAccountId, username: this.igUsername, id: '7412589630125478' };
      return {
        kind: 'token-check' as const,
        product: 'instagram' as const,
        handle: () => ({ status: 200, json }),
      };
    }
    if (node === this.phoneNumberId) {
      const json = {
        display_phone_number: this.displayPhoneNumber,
        verified_name: this.verifiedName,
        id: this.phoneNumberId,
      };
      return {
        kind: 'token-check' as const,
        product: 'whatsapp' as const,
        handle: () => ({ status: 200, json }),
      };
    }
    const media = this.media.get(node);
    if (media) {
      return {
        kind: 'media-info' as const,
        product: 'whatsapp' as const,
        handle: () => whatsappMediaInfo(media, this.apiRoot),
      };
    }
    const profile = this.igUsers.get(node);
    return {
      kind: 'profile' as const,
      product: profile ? ('instagram' as const) : ('either' as const),
      handle: (): GraphReply =>
        profile
          ? { status: 200, json: { ...profile, id: node } }
          : graphError({
              code: 100,
              subcode: 33,
              type: 'GraphMethodException',
              message: `Unsupported get request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
            }),
    };
  }
}

export async function startFakeGraph(options: FakeGraphOptions = {}): Promise<FakeGraph> {
  const fake = new FakeGraph(options);
  await fake.listen();
  return fake;
}
