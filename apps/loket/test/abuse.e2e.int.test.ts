// Abuse against the real server (`pnpm start`, @hono/node-server on 127.0.0.1): oversized bodies,
// slow clients and brute-forced tokens, spoken as raw HTTP where a well-behaved client would not.
import { connect, type Socket } from 'node:net';
import { freePort } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const BODY_LIMIT = 64 * 1024;
const HEADERS_TIMEOUT_MS = 1500;
const REQUEST_TIMEOUT_MS = 3000;
/** Generous: proves the server cut the connection by itself, not how fast. */
const CUT_WITHIN_MS = 20_000;

type RawAnswer = { status: number; headers: string; body: string; closed: boolean };

/** Opens a raw connection; `localAddress` picks the client address the throttle sees (127.0.0.x). */
function open(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Reads one HTTP response (by its Content-Length or chunked end), or whatever came before the close. */
function readAnswer(socket: Socket): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let data = '';
    const done = (closed: boolean) => {
      socket.removeAllListeners('data');
      const [head = '', ...rest] = data.split('\r\n\r\n');
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        headers: head,
        body: rest.join('\r\n\r\n'),
        closed,
      });
    };
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
      const [head, body] = data.split('\r\n\r\n', 2);
      if (head === undefined || body === undefined) return;
      const length = /\r\ncontent-length: (\d+)/i.exec(head)?.[1];
      if (length !== undefined && Buffer.byteLength(body) >= Number(length)) done(false);
      if (/\r\ntransfer-encoding: chunked/i.test(head) && body.endsWith('0\r\n\r\n')) done(false);
    });
    socket.once('close', () => done(true));
    socket.once('error', () => undefined);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function envelopeOf(body: string): { code: string; requestId: string } {
  const chunked = /^[0-9a-f]+\r\n([\s\S]*)\r\n0\r\n\r\n$/i.exec(body)?.[1];
  return JSON.parse(chunked ?? body).error;
}

describe('abuse against the real HTTP server', () => {
  let loket: LoketProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    loket = await startLoketProcess({
      PORT: String(port),
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      BODY_LIMIT: String(BODY_LIMIT),
      HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
  }, 90_000);
  afterAll(() => loket?.stop());

  const healthy = async () => (await fetch(`${loket.url}/healthz`)).status === 200;
  const post = (headers: string[]) =>
    ['POST /v1/admin/users HTTP/1.1', 'Host: 127.0.0.1', `Authorization: Bearer ${ADMIN_TOKEN}`, ...headers]
      .join('\r\n')
      .concat('\r\n\r\n');
  const oversized = `{"name":"${'x'.repeat(BODY_LIMIT)}"}`;

  it('answers a body over the limit with 413 and the envelope, whatever Content-Length says', async () => {
    // Honest Content-Length: refused from the header, before the body is read.
    const honest = await open(port);
    honest.write(post(['Content-Type: application/json', `Content-Length: ${oversized.length}`]) + oversized);
    const byHeader = await readAnswer(honest);
    honest.destroy();
    expect(byHeader.status).toBe(413);
    expect(envelopeOf(byHeader.body).code).toBe('PAYLOAD_TOO_LARGE');

    // No Content-Length at all, chunked: counted while it streams in.
    const chunked = await open(port);
    chunked.write(post(['Content-Type: application/json', 'Transfer-Encoding: chunked']));
    for (let offset = 0; offset < oversized.length; offset += 16 * 1024) {
      const piece = oversized.slice(offset, offset + 16 * 1024);
      chunked.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
    }
    chunked.write('0\r\n\r\n');
    const byCount = await readAnswer(chunked);
    chunked.destroy();
    expect(byCount.status).toBe(413);
    expect(envelopeOf(byCount.body).code).toBe('PAYLOAD_TOO_LARGE');

    // A Content-Length under the limit, then a body over it: only the announced bytes belong to the
    // request; Node's parser refuses the rest as a broken request (400) and closes the connection.
    const liar = await open(port);
    liar.write(post(['Content-Type: application/json', 'Content-Length: 20']) + oversized);
    const lied = await readAnswer(liar);
    liar.destroy();
    expect(lied.status).toBe(400);
    if (lied.body) expect(envelopeOf(lied.body).code).toBe('MALFORMED_JSON');

    // A Content-Length far beyond what is sent: refused from the header, without waiting for the body.
    const bluff = await open(port);
    bluff.write(`${post(['Content-Type: application/json', 'Content-Length: 1073741824'])}{"name":`);
    const bluffed = await readAnswer(bluff);
    bluff.destroy();
    expect(bluffed.status).toBe(413);
    expect(envelopeOf(bluffed.body).code).toBe('PAYLOAD_TOO_LARGE');

    expect(await healthy()).toBe(true);
    const users = await loket.api('GET', '/v1/admin/users', ADMIN_TOKEN);
    expect(users.body.items.map((u: { name: string }) => u.name)).toEqual(['Administrator']);
  });

  it('serves others while slow clients dribble headers or a body, and cuts the slow ones', async () => {
    const started = Date.now();
    const headersDribble = await open(port);
    const bodyDribble = await open(port);
    const cutHeaders = readAnswer(headersDribble);
    const cutBody = readAnswer(bodyDribble);
    bodyDribble.write(post(['Content-Type: application/json', 'Content-Length: 1000']));
    const slowlyHeaders = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(10_000)}`;

    let served = 0;
    let cut = false;
    void Promise.all([cutHeaders, cutBody]).then(() => {
      cut = true;
    });
    for (let i = 0; !cut && Date.now() - started < CUT_WITHIN_MS; i += 1) {
      // One byte at a time on both: never done, never idle for long.
      if (!headersDribble.destroyed) headersDribble.write(slowlyHeaders[i % slowlyHeaders.length] ?? 'a');
      if (!bodyDribble.destroyed) bodyDribble.write(' ');
      if (await healthy()) served += 1;
      await sleep(100);
    }
    expect(cut, `slow connections still open after ${CUT_WITHIN_MS} ms`).toBe(true);
    const [headersAnswer, bodyAnswer] = await Promise.all([cutHeaders, cutBody]);
    expect(headersAnswer.closed || headersAnswer.status === 408, 'headers dribble cut').toBe(true);
    expect(bodyAnswer.closed || bodyAnswer.status === 408, 'body dribble cut').toBe(true);
    expect(Date.now() - started).toBeLessThan(CUT_WITHIN_MS);
    expect(served).toBeGreaterThan(5);
    headersDribble.destroy();
    bodyDribble.destroy();
    expect(await healthy()).toBe(true);
  }, 60_000);

  it('answers a token brute force with 429 and Retry-After, for that client only', async () => {
    // Another loopback address: the throttle counts per client address.
    const attempt = async (token: string) => {
      const socket = await open(port, '127.0.0.2');
      socket.write(`GET /v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      const answer = await readAnswer(socket);
      socket.destroy();
      return answer;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 25; i += 1) statuses.push((await attempt(`lkt_guess_${i}`)).status);
    expect(statuses.filter((s) => s === 401).length).toBe(20);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);

    const limited = await attempt(ADMIN_TOKEN);
    expect(limited.status).toBe(429);
    expect(envelopeOf(limited.body).code).toBe('RATE_LIMITED');
    expect(Number(/\r\nretry-after: (\d+)/i.exec(limited.headers)?.[1])).toBeGreaterThan(0);
    // The office's own staff, on another address, are not locked out.
    expect((await loket.api('GET', '/v1/tickets', ADMIN_TOKEN)).status).toBe(200);
  });
});
