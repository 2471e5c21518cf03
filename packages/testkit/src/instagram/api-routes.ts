import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decryptPassword, type PasswordKeys } from './password-encryption.ts';
import type { FakeThread, ThreadStore } from './threads.ts';
import type { ChallengeKind, FakeInstagramAccount, SentItem } from './types.ts';
import {
  type CookieToSet,
  failureBodies,
  parseCookies,
  parseForm,
  RawNumber,
  sendJson,
  setCookieHeader,
} from './wire.ts';

/** What the routes read and change; owned by FakeInstagram. */
export type ApiState = {
  account: FakeInstagramAccount;
  threads: ThreadStore;
  keys: PasswordKeys;
  /** sessionid → pk of the logged-in account. */
  sessions: Map<string, string>;
  challenge: ChallengeKind | null;
  /** The `rur` cookie value handed out with authenticated answers; changes when a test rotates it. */
  rurCookie: string;
  sent: SentItem[];
  approved: string[];
  uploads: Map<string, Uint8Array>;
  seqId: number;
  cdnRoot(): string;
};

type Call = {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  body: Buffer;
  cookies: Map<string, string>;
  /** Cookies to set on the answer: csrftoken and mid for a client that has none yet, plus any a route adds. */
  setCookies: CookieToSet[];
};

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function reply(call: Call, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const cookies = call.setCookies.map(setCookieHeader);
  sendJson(call.response, status, body, cookies.length > 0 ? { ...headers, 'set-cookie': cookies } : headers);
}

/** The session named by `Authorization: Bearer IGT:2:<base64 json>` (what the app sends) or the sessionid cookie. */
function sessionIdOf(call: Call): string | undefined {
  const auth = call.request.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer IGT:2:')) {
    try {
      const decoded = JSON.parse(Buffer.from(auth.slice('Bearer IGT:2:'.length), 'base64').toString());
      if (typeof decoded.sessionid === 'string') return decodeURIComponent(decoded.sessionid);
    } catch {
      // A malformed header counts as no header; the cookie may still carry the session.
    }
  }
  const cookie = call.cookies.get('sessionid');
  return cookie === undefined ? undefined : decodeURIComponent(cookie);
}

function threadIdsOf(fields: Record<string, unknown>): string[] {
  const raw = fields.thread_ids;
  if (typeof raw !== 'string') return [];
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

export class ApiRoutes {
  constructor(private readonly state: ApiState) {}

  async handle(request: IncomingMessage, response: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const cookies = parseCookies(request.headers.cookie);
    const call: Call = { request, response, url, body, cookies, setCookies: [] };
    if (!cookies.has('csrftoken')) call.setCookies.push({ name: 'csrftoken', value: token(24) });
    if (!cookies.has('mid')) call.setCookies.push({ name: 'mid', value: token(21) });
    const path = url.pathname;
    const method = request.method ?? 'GET';

    if (method === 'POST' && path === '/api/v1/qe/sync/') return this.qeSync(call);
    if (method === 'POST' && path === '/api/v1/accounts/login/') return this.login(call);

    const sessionId = sessionIdOf(call);
    if (sessionId === undefined || !this.state.sessions.has(sessionId)) {
      return reply(call, 403, failureBodies.loginRequired);
    }
    if (this.state.challenge === 'api_checkpoint') {
      return reply(call, 400, failureBodies.checkpoint(this.state.account.pk));
    }
    call.setCookies.push({ name: 'rur', value: this.state.rurCookie });
    if (method === 'POST' && !path.startsWith('/rupload_igphoto/') && !this.csrfMatches(call)) {
      return reply(call, 403, failureBodies.csrf);
    }

    if (method === 'GET' && path === '/api/v1/accounts/current_user/') {
      return reply(call, 200, { user: this.accountWire(), status: 'ok' });
    }
    if (method === 'GET' && path === '/api/v1/direct_v2/inbox/') return this.inbox(call, false);
    if (method === 'GET' && path === '/api/v1/direct_v2/pending_inbox/') return this.inbox(call, true);
    if (method === 'POST' && path.startsWith('/rupload_igphoto/')) return this.uploadPhoto(call);
    const broadcast = /^\/api\/v1\/direct_v2\/threads\/broadcast\/([a-z_]+)\/$/.exec(path);
    if (method === 'POST' && broadcast?.[1]) return this.broadcast(call, broadcast[1]);
    const approve = /^\/api\/v1\/direct_v2\/threads\/(\d+)\/approve\/$/.exec(path);
    if (method === 'POST' && approve?.[1]) return this.approve(call, approve[1]);
    const thread = /^\/api\/v1\/direct_v2\/threads\/(\d+)\/$/.exec(path);
    if (method === 'GET' && thread?.[1]) return this.threadPage(call, thread[1]);
    return reply(call, 404, failureBodies.notFound);
  }

  /** Mobile API posts carry `_csrftoken`; it has to match the csrftoken cookie the client was given. */
  private csrfMatches(call: Call): boolean {
    if (!/x-www-form-urlencoded/.test(call.request.headers['content-type'] ?? '')) return true;
    const { fields } = parseForm(call.body);
    return fields._csrftoken !== undefined && fields._csrftoken === call.cookies.get('csrftoken');
  }

  private accountWire(): Record<string, unknown> {
    const { account } = this.state;
    return {
      ...this.state.threads.userWire(
        { pk: account.pk, username: account.username, fullName: account.fullName },
        this.state.cdnRoot(),
      ),
      is_business: false,
      biography: '',
      external_url: '',
      email: `${account.username}@example.id`,
      phone_number: '',
    };
  }

  /** Before a login the app syncs experiments, and learns the key to encrypt the password with. */
  private qeSync(call: Call): void {
    reply(
      call,
      200,
      { experiments: [], status: 'ok' },
      {
        'ig-set-password-encryption-key-id': String(this.state.keys.keyId),
        'ig-set-password-encryption-pub-key': this.state.keys.publicKeyHeader,
      },
    );
  }

  private login(call: Call) {
    const { fields, signed } = parseForm(call.body);
    const { account } = this.state;
    if (!signed) return reply(call, 400, { message: 'Invalid Parameters', status: 'fail' });
    if (fields.username !== account.username) return reply(call, 400, failureBodies.invalidUser);
    let password: string | undefined;
    try {
      password = decryptPassword(String(fields.enc_password ?? ''), this.state.keys);
    } catch {
      password = undefined;
    }
    if (password !== account.password) return reply(call, 400, failureBodies.badPassword(account.username));
    if (this.state.challenge === 'login_checkpoint' || this.state.challenge === 'api_checkpoint') {
      return reply(call, 400, failureBodies.checkpoint(account.pk));
    }
    if (this.state.challenge === 'two_factor')
      return reply(call, 400, failureBodies.twoFactor(account.username));

    const sessionId = `${account.pk}:${token(12)}:${this.state.sessions.size + 1}`;
    this.state.sessions.set(sessionId, account.pk);
    const csrf = token(24);
    call.setCookies = [
      { name: 'csrftoken', value: csrf },
      { name: 'ds_user_id', value: account.pk, maxAgeSeconds: 7_776_000 },
      { name: 'sessionid', value: encodeURIComponent(sessionId) },
      { name: 'rur', value: this.state.rurCookie },
      ...call.setCookies.filter((cookie) => cookie.name === 'mid'),
    ];
    const authorization = Buffer.from(
      JSON.stringify({ ds_user_id: account.pk, sessionid: encodeURIComponent(sessionId) }),
    ).toString('base64');
    reply(
      call,
      200,
      { logged_in_user: this.accountWire(), session_flush_nonce: null, status: 'ok' },
      { 'ig-set-authorization': `Bearer IGT:2:${authorization}`, 'ig-set-ig-u-ds-user-id': account.pk },
    );
  }

  private inbox(call: Call, pending: boolean): void {
    const { threads } = this.state;
    const query = call.url.searchParams;
    const limit = Number(query.get('limit') ?? 20);
    const itemLimit = Number(query.get('thread_message_limit') ?? 10);
    const all = threads.listThreads(pending);
    const cursor = query.get('cursor');
    const start = cursor ? all.findIndex((thread) => thread.v2Id === cursor) + 1 : 0;
    const page = all.slice(start, start + limit);
    const cdnRoot = this.state.cdnRoot();
    reply(call, 200, {
      viewer: this.accountWire(),
      inbox: {
        threads: page.map((thread) =>
          threads.threadWire(thread, threads.pageItems(thread, undefined, itemLimit), cdnRoot),
        ),
        has_older: start + limit < all.length,
        unseen_count: page.length,
        unseen_count_ts: new RawNumber(BigInt(Date.now()) * 1000n),
        oldest_cursor: page.at(-1)?.v2Id ?? null,
        blended_inbox_enabled: true,
      },
      seq_id: new RawNumber(this.state.seqId),
      snapshot_at_ms: new RawNumber(Date.now()),
      pending_requests_total: threads.listThreads(true).length,
      status: 'ok',
    });
  }

  private threadPage(call: Call, threadId: string) {
    const thread = this.state.threads.threads.get(threadId);
    if (!thread) return reply(call, 404, { message: 'Thread not found', status: 'fail' });
    const query = call.url.searchParams;
    const page = this.state.threads.pageItems(
      thread,
      query.get('cursor') ?? undefined,
      Number(query.get('limit') ?? 10),
    );
    reply(call, 200, {
      thread: this.state.threads.threadWire(thread, page, this.state.cdnRoot()),
      status: 'ok',
    });
  }

  private approve(call: Call, threadId: string) {
    const thread = this.state.threads.threads.get(threadId);
    if (!thread) return reply(call, 404, { message: 'Thread not found', status: 'fail' });
    thread.pending = false;
    this.state.approved.push(threadId);
    this.state.seqId += 1;
    reply(call, 200, { status: 'ok' });
  }

  /** `rupload_igphoto/<name>`: the raw JPEG, described by X-Instagram-Rupload-Params. */
  private uploadPhoto(call: Call) {
    const params = JSON.parse(String(call.request.headers['x-instagram-rupload-params'] ?? '{}'));
    const uploadId = String(params.upload_id ?? '');
    const declared = Number(call.request.headers['x-entity-length']);
    if (uploadId === '' || declared !== call.body.byteLength) {
      return reply(call, 400, { message: 'Invalid upload', status: 'fail' });
    }
    this.state.uploads.set(uploadId, new Uint8Array(call.body));
    reply(call, 200, { upload_id: uploadId, xsharing_nonces: {}, status: 'ok' });
  }

  private broadcast(call: Call, kind: string) {
    const { fields } = parseForm(call.body);
    const threadId = threadIdsOf(fields)[0];
    const thread = threadId === undefined ? undefined : this.state.threads.threads.get(threadId);
    if (!thread) return reply(call, 404, { message: 'Thread not found', status: 'fail' });
    const record = this.appendSent(call, thread, kind, fields);
    if (!record) return;
    this.state.sent.push(record);
    reply(call, 200, {
      action: 'item_ack',
      status_code: '200',
      payload: {
        client_context: String(fields.client_context ?? ''),
        item_id: record.itemId,
        timestamp: String(BigInt(record.at.getTime()) * 1000n),
        thread_id: thread.threadId,
      },
      status: 'ok',
    });
  }

  /** Adds what the account sent to the thread (so later polls show it as the account's own item). */
  private appendSent(
    call: Call,
    thread: FakeThread,
    kind: string,
    fields: Record<string, unknown>,
  ): SentItem | undefined {
    const own = this.state.account.pk;
    const { threads } = this.state;
    this.state.seqId += 1;
    if (kind === 'text' && typeof fields.text === 'string') {
      const item = threads.append(thread, own, 'text', { text: fields.text });
      return {
        threadId: thread.threadId,
        kind: 'text',
        itemId: item.itemId,
        text: fields.text,
        at: new Date(),
      };
    }
    if (kind === 'link' && typeof fields.link_text === 'string') {
      const urls = JSON.parse(String(fields.link_urls ?? '[]')) as string[];
      const item = threads.append(thread, own, 'link', {
        link: { text: fields.link_text, link_context: { link_url: urls[0] ?? '' } },
      });
      const at = new Date();
      return {
        threadId: thread.threadId,
        kind: 'link',
        itemId: item.itemId,
        text: fields.link_text,
        linkUrls: urls,
        at,
      };
    }
    if (kind === 'configure_photo') {
      const photo = this.state.uploads.get(String(fields.upload_id ?? ''));
      if (!photo) {
        reply(call, 400, { message: 'Upload not found', status: 'fail' });
        return undefined;
      }
      const item = threads.append(thread, own, 'media', { media: { media_type: 1 } });
      return { threadId: thread.threadId, kind: 'photo', itemId: item.itemId, photo, at: new Date() };
    }
    reply(call, 400, { message: `Unsupported broadcast ${kind}`, status: 'fail' });
    return undefined;
  }
}
