import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BotMethod, createBotMethods, type FakeTelegramState } from './bot-methods.ts';
import { ApiFailure, errorBody, type InjectedFailure } from './failures.ts';
import type { ApiCall, GetUpdatesCall, SentMessage, WebhookCall, WebhookState } from './records.ts';
import { type ApiParams, BodyTooLargeError, readApiParams } from './request-params.ts';
import type { TgUpdate, TgUpdatePayload, TgUser } from './types.ts';
import { UpdateQueue } from './update-queue.ts';
import { textMessageUpdate } from './updates.ts';

export type FakeTelegramOptions = {
  token?: string;
  botUsername?: string;
  botId?: number;
  /** Telegram's update ids are large and keep counting; tests can pin the first one. */
  firstUpdateId?: number;
};

export type PushTextMessageOptions = {
  fromId: number;
  firstName: string;
  lastName?: string;
  username?: string;
  chatId?: number;
  text: string;
  messageId?: number;
  date?: number | Date;
};

const DEFAULT_TOKEN = '7012345678:AAHfakeTokenForLoketTests_0123456789';

/**
 * A Telegram Bot API on 127.0.0.1 that speaks the real wire protocol: `/bot<token>/<method>` with JSON,
 * urlencoded or multipart bodies, `{ ok, result }` answers, long polling with offset confirmation, and
 * `/file/bot<token>/<path>` downloads. Tests drive real SDKs against it.
 */
export class FakeTelegram {
  readonly token: string;
  readonly bot: TgUser;
  readonly calls: ApiCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly getUpdatesCalls: GetUpdatesCall[] = [];
  readonly webhookCalls: WebhookCall[] = [];
  private readonly state: FakeTelegramState;
  private readonly methods: Map<string, BotMethod>;
  private readonly failures = new Map<string, InjectedFailure[]>();
  private readonly latencies = new Map<string, number>();
  private server: Server | undefined;
  private readonly openResponses = new Set<ServerResponse>();
  private port = 0;

  constructor(options: FakeTelegramOptions = {}) {
    this.token = options.token ?? DEFAULT_TOKEN;
    const botId = options.botId ?? Number(this.token.split(':')[0]);
    this.bot = {
      id: Number.isSafeInteger(botId) ? botId : 7012345678,
      is_bot: true,
      first_name: 'Loket Test Bot',
      username: options.botUsername ?? 'loket_test_bot',
    };
    this.state = {
      bot: this.bot,
      queue: new UpdateQueue(options.firstUpdateId ?? 730_500_001),
      files: new Map(),
      webhook: undefined,
      lastMessageId: 5000,
      sent: this.sent,
      getUpdatesCalls: this.getUpdatesCalls,
      webhookCalls: this.webhookCalls,
    };
    this.methods = createBotMethods(this.state);
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get webhook(): WebhookState | undefined {
    return this.state.webhook;
  }

  /** True while a long-poll getUpdates is being held open. */
  get isPollHeld(): boolean {
    return this.state.queue.isPollHeld;
  }

  async listen(): Promise<void> {
    const server = createServer((request, response) => {
      this.openResponses.add(response);
      response.on('close', () => this.openResponses.delete(response));
      this.route(request, response).catch((error: unknown) => {
        if (!response.headersSent) sendJson(response, 500, errorBody(500, String(error)));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Queues an update as if a user had just acted; returns its update_id. */
  pushUpdate(payload: TgUpdatePayload): number {
    return this.state.queue.push(payload).update_id;
  }

  pushTextMessage(options: PushTextMessageOptions): number {
    return this.pushUpdate(
      textMessageUpdate({
        from: {
          id: options.fromId,
          firstName: options.firstName,
          ...(options.lastName === undefined ? {} : { lastName: options.lastName }),
          ...(options.username === undefined ? {} : { username: options.username }),
        },
        text: options.text,
        ...(options.chatId === undefined ? {} : { chatId: options.chatId }),
        ...(options.messageId === undefined ? {} : { messageId: options.messageId }),
        ...(options.date === undefined ? {} : { date: options.date }),
      }),
    );
  }

  /** Updates not yet confirmed by a getUpdates offset (or a 2xx webhook answer). */
  pendingUpdates(): TgUpdate[] {
    return this.state.queue.snapshot();
  }

  /**
   * Makes a file downloadable through getFile. `reportSize: false` leaves file_size out of getFile and
   * Content-Length out of the download, to exercise a client's streaming size check.
   */
  addFile(fileId: string, bytes: Uint8Array, path?: string, options: { reportSize?: boolean } = {}): void {
    const filePath = path ?? `documents/file_${this.state.files.size + 1}.bin`;
    this.state.files.set(fileId, { bytes, path: filePath, reportSize: options.reportSize ?? true });
  }

  /** The next `times` calls of `method` fail this way, in the order they were queued. */
  failNext(method: string, failure: InjectedFailure, times = 1): void {
    const queue = this.failures.get(method.toLowerCase()) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.failures.set(method.toLowerCase(), queue);
  }

  /** Every later call of `method` is answered only after `ms`, as a real Bot API call takes time. */
  setLatency(method: string, ms: number): void {
    this.latencies.set(method.toLowerCase(), ms);
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method.toLowerCase() === method.toLowerCase());
  }

  /**
   * Posts pending updates to the webhook in order, as Telegram does, with the secret header. A 2xx
   * confirms an update; any other answer stops delivery and leaves it pending. Returns the statuses.
   */
  async deliverToWebhook(): Promise<number[]> {
    const webhook = this.state.webhook;
    if (!webhook) throw new Error('no webhook is set');
    const statuses: number[] = [];
    for (const update of this.state.queue.snapshot()) {
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(webhook.secretToken ? { 'x-telegram-bot-api-secret-token': webhook.secretToken } : {}),
        },
        body: JSON.stringify(update),
      });
      await response.arrayBuffer();
      statuses.push(response.status);
      if (response.status < 200 || response.status >= 300) break;
      this.state.queue.confirm(update.update_id + 1);
    }
    return statuses;
  }

  /** Ends held long polls with an empty answer, then stops the server and its keep-alive sockets. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.state.queue.releaseHeldPoll();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Let the answers just released reach their clients before the sockets are cut.
    const deadline = Date.now() + 1000;
    while (this.openResponses.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    server.closeAllConnections();
    await closed;
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A closing server answers nothing new, so a client's next poll sees a dead server, not a fresh hold.
    if (!this.server) return void request.socket.destroy();
    const url = new URL(request.url ?? '/', this.apiRoot);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.serveFile(response, file[1] ?? '', decodeURIComponent(file[2] ?? ''));

    const api = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (!api) return sendJson(response, 404, errorBody(404, 'Not Found'));
    if (api[1] !== this.token) return sendJson(response, 401, errorBody(401, 'Unauthorized'));
    const methodName = api[2] ?? '';

    let params: ApiParams;
    try {
      params = await readApiParams(request, url);
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return sendJson(response, 413, errorBody(413, 'Request Entity Too Large'));
      return sendJson(response, 400, errorBody(400, `Bad Request: ${(error as Error).message}`));
    }
    this.calls.push({ method: methodName, params, at: new Date() });

    const failure = this.failures.get(methodName.toLowerCase())?.shift();
    if (failure) {
      if ('network' in failure) return void request.socket.destroy();
      return sendJson(
        response,
        failure.status,
        errorBody(failure.status, failure.description, failure.retryAfter),
      );
    }

    const method = this.methods.get(methodName.toLowerCase());
    if (!method) return sendJson(response, 404, errorBody(404, 'Not Found: method not found'));

    const latency = this.latencies.get(methodName.toLowerCase());
    if (latency) await new Promise((resolve) => setTimeout(resolve, latency));
    const clientGone = new AbortController();
    response.on('close', () => clientGone.abort());
    try {
      const result = await method(params, clientGone.signal);
      sendJson(response, 200, { ok: true, result });
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      sendJson(response, error.status, errorBody(error.status, error.message, error.retryAfter));
    }
  }

  private serveFile(response: ServerResponse, token: string, path: string): void {
    const stored =
      token === this.token ? [...this.state.files.values()].find((file) => file.path === path) : undefined;
    if (!stored) {
      sendJson(response, 404, errorBody(404, 'Not Found'));
      return;
    }
    response.statusCode = 200;
    response.setHeader('content-type', 'application/octet-stream');
    if (stored.reportSize) response.setHeader('content-length', stored.bytes.length);
    // Several writes, so a client that reads the body as a stream sees it arrive in pieces.
    const pieceSize = 16 * 1024;
    for (let start = 0; start < stored.bytes.length; start += pieceSize) {
      response.write(stored.bytes.subarray(start, start + pieceSize));
    }
    response.end();
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  if (response.writableEnded || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export async function startFakeTelegram(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegram(options);
  await fake.listen();
  return fake;
}
