import { constants, createCipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeInstagram, startFakeInstagram } from './fake-instagram.ts';

let fake: FakeInstagram;
const siti = { pk: '51234567890', username: 'siti.rahayu', fullName: 'Siti Rahayu' };

beforeEach(async () => {
  fake = await startFakeInstagram();
});
afterEach(async () => {
  await fake.close();
});

/** A client's cookie jar, reduced to what these tests need. */
class Cookies {
  private readonly values = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair && eq > 0) this.values.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
  }
  get(name: string): string | undefined {
    return this.values.get(name);
  }
  header(): string {
    return [...this.values].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** What the app does with Instagram's public key (instagram-private-api's encryptPassword). */
function encryptPassword(password: string, keyId: number, publicKeyHeader: string): string {
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const rsa = publicEncrypt(
    { key: Buffer.from(publicKeyHeader, 'base64').toString(), padding: constants.RSA_PKCS1_PADDING },
    key,
  );
  const time = String(Math.floor(Date.now() / 1000));
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(time));
  const encrypted = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  const size = Buffer.alloc(2);
  size.writeInt16LE(rsa.byteLength, 0);
  const data = Buffer.concat([Buffer.from([1, keyId]), iv, size, rsa, cipher.getAuthTag(), encrypted]);
  return `#PWD_INSTAGRAM:4:${time}:${data.toString('base64')}`;
}

function signed(fields: Record<string, unknown>): string {
  return new URLSearchParams({
    signed_body: `SIGNATURE.${JSON.stringify(fields)}`,
    ig_sig_key_version: '4',
  }).toString();
}

async function post(path: string, body: string, cookies: Cookies, headers: Record<string, string> = {}) {
  const response = await fetch(`${fake.apiRoot}${path.slice(1)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.header(), ...headers },
    body,
  });
  cookies.take(response);
  return response;
}

async function logIn(password = fake.account.password) {
  const cookies = new Cookies();
  const sync = await post('/api/v1/qe/sync/', signed({ id: 'x', experiments: '' }), cookies);
  const keyId = Number(sync.headers.get('ig-set-password-encryption-key-id'));
  const publicKey = sync.headers.get('ig-set-password-encryption-pub-key') ?? '';
  const login = await post(
    '/api/v1/accounts/login/',
    signed({
      username: fake.account.username,
      enc_password: encryptPassword(password, keyId, publicKey),
      _csrftoken: cookies.get('csrftoken'),
    }),
    cookies,
  );
  return { cookies, login, authorization: login.headers.get('ig-set-authorization') ?? '' };
}

describe('the fake Instagram private API', () => {
  it('checks the encrypted password and hands out the session as cookies and a bearer header', async () => {
    const wrong = await logIn('tebakan');
    expect(wrong.login.status).toBe(400);
    expect(await wrong.login.json()).toMatchObject({ error_type: 'bad_password', status: 'fail' });

    const { cookies, login, authorization } = await logIn();
    expect(login.status).toBe(200);
    expect(cookies.get('ds_user_id')).toBe(fake.account.pk);
    expect(cookies.get('sessionid')).toBeDefined();
    const token = JSON.parse(Buffer.from(authorization.replace('Bearer IGT:2:', ''), 'base64').toString());
    expect(token).toEqual({ ds_user_id: fake.account.pk, sessionid: cookies.get('sessionid') });
    // The pk is a bare JSON number, as Instagram writes it.
    expect(await login.text()).toContain(`"pk":${fake.account.pk},`);
    expect(fake.loginCalls).toBe(2);
  });

  it('answers login_required without a session, and after invalidateSessions', async () => {
    const anonymous = await fetch(`${fake.apiRoot}api/v1/direct_v2/inbox/`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.json()).toMatchObject({ message: 'login_required', status: 'fail' });

    const { authorization } = await logIn();
    const inbox = () => fetch(`${fake.apiRoot}api/v1/direct_v2/inbox/`, { headers: { authorization } });
    expect((await inbox()).status).toBe(200);
    fake.invalidateSessions();
    expect((await inbox()).status).toBe(403);
  });

  it('pages a thread the way the app reads it: the inbox preview, then older items by cursor', async () => {
    const { authorization } = await logIn();
    const pushed = Array.from({ length: 13 }, (_, i) => fake.pushText(siti, `pesan ${i}`));
    const inboxText = await (
      await fetch(`${fake.apiRoot}api/v1/direct_v2/inbox/?thread_message_limit=10&limit=20`, {
        headers: { authorization },
      })
    ).text();
    // Timestamps in microseconds and pks are bare numbers; item ids are strings.
    expect(inboxText).toMatch(/"timestamp":\d{16},/);
    expect(inboxText).toContain(`"item_id":"${pushed[12]?.itemId}"`);
    const thread = JSON.parse(inboxText).inbox.threads[0];
    expect(thread.items).toHaveLength(10);
    expect(thread.items[0].text).toBe('pesan 12');
    expect(thread).toMatchObject({ has_older: true, oldest_cursor: pushed[3]?.itemId });

    const older = await fetch(
      `${fake.apiRoot}api/v1/direct_v2/threads/${thread.thread_id}/?cursor=${thread.oldest_cursor}&direction=older&limit=10`,
      { headers: { authorization } },
    );
    const { thread: page } = (await older.json()) as {
      thread: { items: { text: string }[]; has_older: boolean };
    };
    expect(page.items.map((item) => item.text)).toEqual(['pesan 2', 'pesan 1', 'pesan 0']);
    expect(page.has_older).toBe(false);
  });

  it('refuses a form post whose _csrftoken does not match the cookie', async () => {
    const { cookies, authorization } = await logIn();
    const threadId = fake.pushText(siti, 'halo').threadId;
    const form = (csrf: string) =>
      new URLSearchParams({
        action: 'send_item',
        thread_ids: JSON.stringify([threadId]),
        text: 'x',
        _csrftoken: csrf,
      });
    const refused = await post(
      '/api/v1/direct_v2/threads/broadcast/text/',
      form('missing').toString(),
      cookies,
      {
        authorization,
      },
    );
    expect(refused.status).toBe(403);
    const accepted = await post(
      '/api/v1/direct_v2/threads/broadcast/text/',
      form(cookies.get('csrftoken') ?? '').toString(),
      cookies,
      { authorization },
    );
    expect(await accepted.json()).toMatchObject({ status: 'ok', payload: { thread_id: threadId } });
    expect(fake.sent).toMatchObject([{ threadId, kind: 'text', text: 'x' }]);
  });

  it('injects failures for the next calls only, and serves pushed photos from its CDN', async () => {
    fake.failNext('rate_limit', { count: 2 });
    for (let i = 0; i < 2; i += 1) {
      const limited = await fetch(`${fake.apiRoot}api/v1/accounts/current_user/`);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toEqual({
        message: 'Please wait a few minutes before you try again.',
        status: 'fail',
      });
    }
    expect((await fetch(`${fake.apiRoot}api/v1/accounts/current_user/`)).status).toBe(403);

    const bytes = new Uint8Array(300).fill(7);
    const { url } = fake.pushPhoto(siti, bytes);
    const photo = await fetch(url);
    expect(photo.headers.get('content-length')).toBe('300');
    expect(new Uint8Array(await photo.arrayBuffer())).toEqual(bytes);
    const chunked = await fetch(fake.pushPhoto(siti, bytes, { withoutContentLength: true }).url);
    expect(chunked.headers.get('content-length')).toBeNull();
    expect((await chunked.arrayBuffer()).byteLength).toBe(300);
  });
});
