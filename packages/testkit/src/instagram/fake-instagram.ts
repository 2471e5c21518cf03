import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiRoutes, type ApiState } from './api-routes.ts';
import {
  cdnPath,
  cdnQuery,
  type ItemContent,
  likeContent,
  linkContent,
  newMediaPk,
  photoContent,
  type SharedMediaKind,
  sharedMediaContent,
  storyReplyContent,
  storyShareContent,
  textContent,
  videoContent,
  voiceContent,
} from './items.ts';
import { passwordKeys } from './password-encryption.ts';
import { type FakeInstagramUser, type FakeThread, ThreadStore } from './threads.ts';
import type {
  ChallengeKind,
  FakeInstagramAccount,
  FakeInstagramOptions,
  FakeInstagramRequest,
  InstagramFailure,
  PushedItem,
  PushOptions,
  SentItem,
  ThreadTarget,
} from './types.ts';
import { failureBodies, readBody, sendJson } from './wire.ts';

const DEFAULT_ACCOUNT: FakeInstagramAccount = {
  username: 'kelurahan.mekarjaya',
  password: 'rahasia-kantor-2025',
  pk: '48291735016',
  fullName: 'Kelurahan Mekarjaya',
};

type CdnFile = { bytes: Uint8Array; contentType: string; withoutContentLength: boolean };
type PendingFailure = { failure: InstagramFailure; path?: string };

/**
 * Instagram's private mobile API (i.instagram.com) on 127.0.0.1, speaking the wire format
 * instagram-private-api expects: signed form posts, an RSA-encrypted password, session cookies and
 * the `ig-set-authorization` header, JSON with bare big numbers, the inbox / message-request / thread
 * feeds with their cursors, and photo upload plus broadcast. Its CDN serves pushed media. Everything
 * the account sends is recorded and also appears in its thread, as on Instagram.
 */
export class FakeInstagram {
  readonly account: FakeInstagramAccount;
  /** The API root to configure the adapter with, e.g. `http://127.0.0.1:40123/`. */
  readonly apiRoot: string;
  readonly sent: SentItem[] = [];
  /** Thread ids whose message request the account accepted. */
  readonly approved: string[] = [];
  readonly requests: FakeInstagramRequest[] = [];
  private readonly state: ApiState;
  private readonly routes: ApiRoutes;
  private readonly cdn = new Map<string, CdnFile>();
  private readonly failures: PendingFailure[] = [];

  constructor(
    private readonly server: Server,
    port: number,
    account: FakeInstagramAccount,
  ) {
    this.account = account;
    this.apiRoot = `http://127.0.0.1:${port}/`;
    this.state = {
      account,
      threads: new ThreadStore({ pk: account.pk, username: account.username, fullName: account.fullName }),
      keys: passwordKeys(),
      sessions: new Map(),
      challenge: null,
      rurCookie: `"NCG\\054${account.pk}\\0541767225600:01f7"`,
      sent: this.sent,
      approved: this.approved,
      uploads: new Map(),
      seqId: 1,
      cdnRoot: () => this.apiRoot,
    };
    this.routes = new ApiRoutes(this.state);
    server.on('request', (request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 400, { message: String(error), status: 'fail' });
      });
    });
  }

  // ---- what the adapter did -------------------------------------------------------------------

  callsTo(path: string): FakeInstagramRequest[] {
    return this.requests.filter((request) => request.path === path);
  }
  get loginCalls(): number {
    return this.callsTo('/api/v1/accounts/login/').length;
  }
  get inboxCalls(): number {
    return this.callsTo('/api/v1/direct_v2/inbox/').length;
  }
  get pendingInboxCalls(): number {
    return this.callsTo('/api/v1/direct_v2/pending_inbox/').length;
  }
  get currentUserCalls(): number {
    return this.callsTo('/api/v1/accounts/current_user/').length;
  }
  /** Older pages of one thread (`direct_v2/threads/<id>/`). */
  threadPageCalls(threadId: string): number {
    return this.callsTo(`/api/v1/direct_v2/threads/${threadId}/`).length;
  }
  get activeSessions(): number {
    return this.state.sessions.size;
  }
  /** The value the `rur` cookie has now; see rotateCookies. */
  get rurCookie(): string {
    return this.state.rurCookie;
  }

  // ---- account and session controls ----------------------------------------------------------

  /** Logs every session out: the next authenticated call answers 403 `login_required`. */
  invalidateSessions(): void {
    this.state.sessions.clear();
  }
  /** A checkpoint on login (or on every API call), or two-factor on login, until resolveChallenge. */
  requireChallenge(kind: ChallengeKind): void {
    this.state.challenge = kind;
  }
  /** The owner approved the login in the Instagram app (or turned two-factor off). */
  resolveChallenge(): void {
    this.state.challenge = null;
  }
  setPassword(password: string): void {
    this.state.account.password = password;
  }
  /** Gives the `rur` cookie a new value, sent with the next authenticated answers. */
  rotateCookies(): void {
    this.state.rurCookie = `"RVA\\054${this.account.pk}\\054${Math.floor(Date.now() / 1000)}:${randomBytes(4).toString('hex')}"`;
  }
  /** The next `count` API calls (to `path` only, when given) fail this way instead of being answered. */
  failNext(failure: InstagramFailure, options: { count?: number; path?: string } = {}): void {
    for (let i = 0; i < (options.count ?? 1); i += 1) {
      this.failures.push(options.path === undefined ? { failure } : { failure, path: options.path });
    }
  }

  // ---- threads and incoming items ------------------------------------------------------------

  /** Opens a thread; `pending` puts it in message requests, where first contact from strangers lands. */
  addThread(options: { with: FakeInstagramUser | FakeInstagramUser[]; pending?: boolean }): string {
    const users = Array.isArray(options.with) ? options.with : [options.with];
    return this.state.threads.addThread(users, options.pending ?? false).threadId;
  }
  thread(threadId: string): FakeThread | undefined {
    return this.state.threads.threads.get(threadId);
  }

  pushText(target: ThreadTarget, text: string, options: PushOptions = {}): PushedItem {
    return this.push(target, textContent(text), options);
  }
  pushLink(target: ThreadTarget, text: string, url: string, options: PushOptions = {}): PushedItem {
    return this.push(target, linkContent(text, url), options);
  }
  /** A photo in the chat; its bytes are served from the fake CDN (a 64-byte thumbnail beside them). */
  pushPhoto(
    target: ThreadTarget,
    jpeg: Uint8Array,
    options: PushOptions & { width?: number; height?: number; withoutContentLength?: boolean } = {},
  ): PushedItem & { url: string } {
    const pk = newMediaPk();
    const full = `${this.apiRoot}${cdnPath(pk, 'jpg')}${cdnQuery()}`;
    const thumbnail = `${this.apiRoot}${cdnPath(pk, 'jpg', '_s320')}${cdnQuery()}`;
    const withoutContentLength = options.withoutContentLength ?? false;
    this.serve(full, { bytes: jpeg, contentType: 'image/jpeg', withoutContentLength });
    this.serve(thumbnail, { bytes: jpeg.subarray(0, 64), contentType: 'image/jpeg', withoutContentLength });
    const size = { width: options.width ?? 1080, height: options.height ?? 1350 };
    return { ...this.push(target, photoContent(pk, { full, thumbnail }, size), options), url: full };
  }
  pushVideo(target: ThreadTarget, mp4: Uint8Array, options: PushOptions = {}): PushedItem & { url: string } {
    const pk = newMediaPk();
    const url = `${this.apiRoot}${cdnPath(pk, 'mp4')}${cdnQuery()}`;
    this.serve(url, { bytes: mp4, contentType: 'video/mp4', withoutContentLength: false });
    const poster = `${this.apiRoot}${cdnPath(pk, 'jpg')}${cdnQuery()}`;
    return { ...this.push(target, videoContent(pk, url, poster), options), url };
  }
  pushVoice(target: ThreadTarget, m4a: Uint8Array, options: PushOptions = {}): PushedItem & { url: string } {
    const pk = newMediaPk();
    const url = `${this.apiRoot}${cdnPath(pk, 'm4a')}${cdnQuery()}`;
    this.serve(url, { bytes: m4a, contentType: 'audio/mp4', withoutContentLength: false });
    return { ...this.push(target, voiceContent(pk, url), options), url };
  }
  /** A post (`media_share`), reel (`clip`) or IGTV video (`felix_share`) shared into the chat. */
  pushMediaShare(
    target: ThreadTarget,
    share: { code: string; kind?: SharedMediaKind; owner?: FakeInstagramUser; caption?: string },
    options: PushOptions = {},
  ): PushedItem {
    const owner = share.owner ?? { pk: '25025320', username: 'instagram', fullName: 'Instagram' };
    const content = sharedMediaContent(share.kind ?? 'media_share', { ...share, owner }, this.userWire);
    return this.push(target, content, options);
  }
  pushStoryShare(
    target: ThreadTarget,
    share: { owner: FakeInstagramUser; expired?: boolean },
    options: PushOptions = {},
  ): PushedItem {
    return this.push(target, storyShareContent(share, this.userWire), options);
  }
  /** A reply to one of the account's own stories. */
  pushStoryReply(target: ThreadTarget, text: string, options: PushOptions = {}): PushedItem {
    const owner = { pk: this.account.pk, username: this.account.username, fullName: this.account.fullName };
    return this.push(target, storyReplyContent(text, owner, this.userWire), options);
  }
  /** The heart. */
  pushLike(target: ThreadTarget, options: PushOptions = {}): PushedItem {
    return this.push(target, likeContent(), options);
  }
  /** Any other item type, with its fields as Instagram names them (action_log, animated_media, ...). */
  pushItem(
    target: ThreadTarget,
    itemType: string,
    fields: Record<string, unknown>,
    options: PushOptions = {},
  ): PushedItem {
    return this.push(target, { itemType, fields }, options);
  }
  /** A text the account's owner typed in the Instagram app: it shows in the thread as the account's own. */
  pushOwnText(threadId: string, text: string): PushedItem {
    const thread = this.requireThread(threadId);
    const item = this.state.threads.append(thread, this.account.pk, 'text', { text });
    this.state.seqId += 1;
    return { threadId, itemId: item.itemId, timestamp: String(item.micros) };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  // ---- internals -------------------------------------------------------------------------------

  private readonly userWire = (user: FakeInstagramUser) => this.state.threads.userWire(user, this.apiRoot);

  private requireThread(threadId: string): FakeThread {
    const thread = this.state.threads.threads.get(threadId);
    if (!thread) throw new Error(`fake instagram: no thread ${threadId}`);
    return thread;
  }

  private push(target: ThreadTarget, content: ItemContent, options: PushOptions): PushedItem {
    let thread: FakeThread;
    if (typeof target === 'string') thread = this.requireThread(target);
    else thread = this.state.threads.threadWith(target) ?? this.state.threads.addThread([target], false);
    const sender = options.from ?? thread.users[0];
    if (!sender) throw new Error('fake instagram: a thread without participants has no sender');
    const item = this.state.threads.append(thread, sender.pk, content.itemType, content.fields, options.at);
    this.state.seqId += 1;
    return { threadId: thread.threadId, itemId: item.itemId, timestamp: String(item.micros) };
  }

  private serve(url: string, file: CdnFile): void {
    this.cdn.set(new URL(url).pathname, file);
  }

  private takeFailure(path: string): InstagramFailure | undefined {
    const index = this.failures.findIndex((entry) => entry.path === undefined || entry.path === path);
    if (index < 0) return undefined;
    return this.failures.splice(index, 1)[0]?.failure;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.apiRoot);
    const body = await readBody(request);
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: new Date(),
    });
    if (url.pathname.startsWith('/v/')) return this.serveCdn(url, response);
    const failure = this.takeFailure(url.pathname);
    if (failure === 'connection_reset') {
      request.socket.destroy();
      return;
    }
    if (failure === 'rate_limit') return sendJson(response, 429, failureBodies.rateLimited);
    if (failure === 'spam') return sendJson(response, 400, failureBodies.spam);
    if (failure === 'login_required') return sendJson(response, 403, failureBodies.loginRequired);
    if (failure === 'server_error') {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end('<html><body>Oops, an error occurred.</body></html>');
      return;
    }
    await this.routes.handle(request, response, url, body);
  }

  private serveCdn(url: URL, response: ServerResponse): void {
    const file = this.cdn.get(url.pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('URL signature expired');
      return;
    }
    const headers: Record<string, string | number> = { 'content-type': file.contentType };
    if (!file.withoutContentLength) headers['content-length'] = file.bytes.byteLength;
    response.writeHead(200, headers);
    // Written in two pieces so a client without Content-Length has to count while streaming.
    const half = Math.floor(file.bytes.byteLength / 2);
    response.write(file.bytes.subarray(0, half));
    response.end(file.bytes.subarray(half));
  }
}

export async function startFakeInstagram(options: FakeInstagramOptions = {}): Promise<FakeInstagram> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new FakeInstagram(server, port, { ...DEFAULT_ACCOUNT, ...options.account });
}
