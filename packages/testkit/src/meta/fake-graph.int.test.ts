import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeGraph, startFakeGraph } from './fake-graph.ts';
import { loadMetaFixture, META_FIXTURE_IDS, META_FIXTURES } from './fixtures.ts';
import { graphFailures } from './graph-failures.ts';
import { instagramMessaging, instagramWebhook } from './instagram-webhooks.ts';
import { postSignedWebhook, signedWebhookRequest, signMetaBody } from './signing.ts';
import { whatsappContact, whatsappMessages, whatsappWebhook } from './whatsapp-webhooks.ts';

let fake: FakeGraph;
beforeEach(async () => {
  fake = await startFakeGraph();
});
afterEach(async () => {
  await fake.close();
});

const bearer = () => ({ authorization: `Bearer ${fake.accessToken}` });
async function graph(path: string, init: RequestInit = {}) {
  const response = await fetch(`${fake.apiRoot}${path}`, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  // biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary Graph JSON by path
  return { status: response.status, json: json as Record<string, any>, headers: response.headers };
}

/** Key paths of a JSON value (array items merged), to compare a builder's shape with a fixture's. */
function shape(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((item) => shape(item, `${prefix}[]`)))];
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, inner]) => shape(inner, `${prefix}.${key}`));
}

describe('fake Graph API', () => {
  it('answers a wrong token with 401 code 190, a missing one with code 104', async () => {
    const wrong = await graph(`/v21.0/${fake.phoneNumberId}`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toMatchObject({
      code: 190,
      type: 'OAuthException',
      fbtrace_id: expect.any(String),
    });
    const missing = await graph(`/v21.0/${fake.phoneNumberId}`);
    expect(missing.json.error.code).toBe(104);
    const good = await graph(`/v21.0/${fake.phoneNumberId}?fields=display_phone_number`, {
      headers: bearer(),
    });
    expect(good.json).toMatchObject({
      display_phone_number: fake.displayPhoneNumber,
      verified_name: fake.verifiedName,
    });
    fake.revokeToken();
    const revoked = await graph(`/v21.0/${fake.phoneNumberId}`, { headers: bearer() });
    expect(revoked.json.error).toMatchObject({ code: 190, error_subcode: 463 });
  });

  it('serves media info and bytes behind the bearer token', async () => {
    const id = fake.addMedia(new Uint8Array([1, 2, 3]), 'image/png');
    const info = await graph(`/v21.0/${id}`, { headers: bearer() });
    expect(info.json).toMatchObject({
      id,
      mime_type: 'image/png',
      file_size: 3,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const url = new URL(info.json.url);
    expect((await fetch(url)).status).toBe(401);
    const download = await fetch(url, { headers: bearer() });
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('accepts a multipart upload and a document send by its id', async () => {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', 'application/pdf');
    form.append('file', new Blob([new Uint8Array([37, 80, 68, 70])], { type: 'application/pdf' }), 'a.pdf');
    const upload = await graph(`/v21.0/${fake.phoneNumberId}/media`, {
      method: 'POST',
      body: form,
      headers: bearer(),
    });
    expect(upload.json.id).toBe(fake.uploads[0]?.id);
    expect(fake.uploads[0]).toMatchObject({
      filename: 'a.pdf',
      mime: 'application/pdf',
      bytes: new Uint8Array([37, 80, 68, 70]),
    });
    const body = {
      messaging_product: 'whatsapp',
      to: '6281234567890',
      type: 'document',
      document: { id: upload.json.id },
    };
    const sent = await graph(`/v21.0/${fake.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { ...bearer(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(sent.json.messages[0].id).toBe(fake.whatsappMessages[0]?.id);
  });

  it('refuses what Meta refuses: long texts, missing messaging_product, unknown tags', async () => {
    const post = (path: string, body: unknown) =>
      graph(path, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const wa = `/v21.0/${fake.phoneNumberId}/messages`;
    const ig = `/v21.0/${fake.igAccountId}/messages`;
    expect((await post(wa, { to: '628', type: 'text', text: { body: 'x' } })).json.error.code).toBe(100);
    expect(
      (
        await post(wa, {
          messaging_product: 'whatsapp',
          to: '6281234567890',
          text: { body: 'x'.repeat(4097) },
        })
      ).status,
    ).toBe(400);
    expect((await post(ig, { recipient: { id: '1' }, message: { text: 'é'.repeat(501) } })).status).toBe(400);
    expect(
      (
        await post(ig, {
          recipient: { id: '1' },
          message: { text: 'x' },
          messaging_type: 'MESSAGE_TAG',
          tag: 'ACCOUNT_UPDATE',
        })
      ).status,
    ).toBe(400);
    expect(fake.whatsappMessages).toHaveLength(0);
    expect(fake.instagramMessages).toHaveLength(0);
  });

  it('injects failures with Retry-After, and connection resets', async () => {
    fake.failNext('token-check', graphFailures.throughput(9));
    const limited = await graph(`/v21.0/${fake.phoneNumberId}`, { headers: bearer() });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('9');
    expect(limited.json.error.code).toBe(130429);
    fake.failNext('token-check', graphFailures.connectionReset());
    await expect(fetch(`${fake.apiRoot}/v21.0/me`, { headers: bearer() })).rejects.toThrow();
    expect((await graph('/v21.0/me', { headers: bearer() })).json).toMatchObject({
      username: fake.igUsername,
    });
  });

  it('answers Instagram profiles and refuses unknown ids', async () => {
    fake.addInstagramUser('123', { name: 'Siti', username: 'siti' });
    expect((await graph('/v21.0/123?fields=name,username', { headers: bearer() })).json).toEqual({
      name: 'Siti',
      username: 'siti',
      id: '123',
    });
    expect((await graph('/v21.0/999', { headers: bearer() })).json.error).toMatchObject({
      code: 100,
      error_subcode: 33,
    });
  });
});

describe('signing', () => {
  it('signs the exact bytes with HMAC-SHA256 and tampers on request', () => {
    const secret = 's3cret';
    const good = signedWebhookRequest({ object: 'instagram', entry: [] }, secret);
    expect(good.signature).toBe(`sha256=${createHmac('sha256', secret).update(good.rawBody).digest('hex')}`);
    expect(signMetaBody(good.rawBody, secret)).toBe(good.signature);
    expect(signedWebhookRequest('{"a":1}', secret, { tamper: 'unsigned' }).signature).toBeUndefined();
    expect(signedWebhookRequest('{"a":1}', secret, { tamper: 'signature' }).signature).not.toBe(
      signMetaBody('{"a":1}', secret),
    );
    const body = signedWebhookRequest('{"a":1}', secret, { tamper: 'body' });
    expect(JSON.parse(new TextDecoder().decode(body.rawBody))).toEqual({ a: 1 });
    expect(body.signature).not.toBe(signMetaBody(body.rawBody, secret));
  });

  it('posts the exact bytes with the signature header', async () => {
    const received: { body: Buffer; header: string | undefined }[] = [];
    const server = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      received.push({
        body: Buffer.concat(chunks),
        header: request.headers['x-hub-signature-256'] as string | undefined,
      });
      response.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/meta`;
    const fixture = loadMetaFixture('whatsapp-text');
    expect(await postSignedWebhook(url, fixture, 'secret')).toEqual({ status: 200, body: 'ok' });
    server.close();
    expect(new Uint8Array(received[0]?.body ?? [])).toEqual(fixture);
    expect(received[0]?.header).toBe(signMetaBody(fixture, 'secret'));
  });
});

describe('webhook builders and fixtures', () => {
  it('loads every fixture as bytes of the right object', () => {
    for (const name of META_FIXTURES) {
      const payload = JSON.parse(new TextDecoder().decode(loadMetaFixture(name)));
      expect(payload.object).toBe(name.startsWith('whatsapp') ? 'whatsapp_business_account' : 'instagram');
    }
  });

  it('builds WhatsApp payloads shaped like the recorded fixture', () => {
    const fixture = JSON.parse(new TextDecoder().decode(loadMetaFixture('whatsapp-text')));
    const built = whatsappWebhook({
      phoneNumberId: META_FIXTURE_IDS.phoneNumberId,
      contacts: [whatsappContact(META_FIXTURE_IDS.citizenWaId, 'Siti')],
      messages: [whatsappMessages.text({ from: META_FIXTURE_IDS.citizenWaId, body: 'x' })],
    });
    expect(shape(built).sort()).toEqual(shape(fixture).sort());
  });

  it('builds Instagram payloads shaped like the recorded fixture, filling in our account', () => {
    const fixture = JSON.parse(new TextDecoder().decode(loadMetaFixture('instagram-text')));
    const built = instagramWebhook({
      accountId: META_FIXTURE_IDS.igAccountId,
      messaging: [instagramMessaging.text({ from: META_FIXTURE_IDS.citizenIgsid, text: 'x' })],
    });
    expect(shape(built).sort()).toEqual(shape(fixture).sort());
    const echo = instagramWebhook({
      accountId: '1',
      messaging: [instagramMessaging.echo({ to: '2', text: 'x' })],
    });
    expect(echo.entry[0]?.messaging[0]).toMatchObject({ sender: { id: '1' }, recipient: { id: '2' } });
  });
});
