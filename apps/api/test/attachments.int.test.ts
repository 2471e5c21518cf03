import type { FileStore, NewAttachment } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness, memoryFiles } from './harness.ts';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
const SVG = new TextEncoder().encode(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
);

describe.each(databaseKinds())('GET /v1/attachments/:id on %s', (kind) => {
  let h: Harness;
  let files: FileStore;
  let ids: Record<string, string>;
  let ticketId: string;

  beforeAll(async () => {
    files = memoryFiles();
    h = await createHarness(kind, { files });
    ({ ticketId } = await h.receive());
    const kept = async (mime: string, name: string | null, bytes: Uint8Array): Promise<NewAttachment> => ({
      kind: mime.startsWith('image/') ? 'image' : 'document',
      mime,
      name,
      size: bytes.byteLength,
      storageKey: await files.put(bytes),
      error: null,
    });
    const notKept = (error: string): NewAttachment => ({
      kind: 'image',
      mime: 'image/jpeg',
      name: 'x.jpg',
      size: 10,
      storageKey: null,
      error,
    });
    const attachments = [
      await kept('image/jpeg', 'KTP Budi.jpg', JPEG),
      await kept('image/svg+xml', 'logo.svg', SVG),
      await kept('text/html', null, new TextEncoder().encode('<script>alert(1)</script>')),
      await kept('application/pdf', 'Formulir ñ (F-1.01).pdf', new TextEncoder().encode('%PDF-1.4')),
      notKept('the file is over 20971520 bytes'),
      notKept('deleted after 30 days (retention policy)'),
      { ...(await kept('image/png', 'lost.png', new Uint8Array([9, 9, 9]))), storageKey: 'no-such-key' },
    ];
    const message = await h.repos.inbox.transaction((tx) =>
      tx.appendMessage({
        ticketId,
        channel: 'telegram',
        direction: 'inbound',
        text: 'ini dokumen saya',
        createdAt: new Date(),
        attachments,
      }),
    );
    const [jpeg, svg, html, pdf, tooBig, purged, lost] = message.attachments.map(
      (attachment) => attachment.id,
    );
    ids = { jpeg, svg, html, pdf, tooBig, purged, lost } as Record<string, string>;
  });
  afterAll(() => h.close());

  const get = (id: string | undefined, token?: string | null) =>
    h.request('GET', `/v1/attachments/${id}`, token === undefined ? {} : { token });

  it('serves an image inline to any staff role, with its type and no caching', async () => {
    for (const role of ['officer', 'supervisor', 'admin'] as const) {
      const response = await get(ids.jpeg, h.tokens[role]);
      expect(response.status).toBe(200);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(JPEG);
      expect(response.headers.get('content-type')).toBe('image/jpeg');
      expect(response.headers.get('content-disposition')).toBe(
        `inline; filename="KTP Budi.jpg"; filename*=UTF-8''KTP%20Budi.jpg`,
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('content-length')).toBe(String(JPEG.byteLength));
    }
  });

  it('serves a PDF inline, with the UTF-8 name and an ASCII fallback', async () => {
    const response = await get(ids.pdf);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="Formulir _ (F-1.01).pdf"; filename*=UTF-8''Formulir%20%C3%B1%20%28F-1.01%29.pdf`,
    );
  });

  it('never serves SVG or HTML as such: octet-stream, as a download', async () => {
    const svg = await get(ids.svg);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toBe('application/octet-stream');
    expect(svg.headers.get('content-disposition')).toMatch(/^attachment; filename="logo.svg"/);
    expect(new Uint8Array(await svg.arrayBuffer())).toEqual(SVG);

    const html = await get(ids.html);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(html.headers.get('content-disposition')).toMatch(/^attachment; filename="lampiran-[0-9a-f-]+"/);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('audits each read with the ticket and message ids', async () => {
    await get(ids.pdf, h.tokens.supervisor);
    const { items } = await (
      await h.request('GET', `/v1/admin/audit?target=attachment:${ids.pdf}&limit=1`, {
        token: h.tokens.admin,
      })
    ).json();
    expect(items[0]).toMatchObject({
      actorId: h.userIds.supervisor,
      action: 'attachment.read',
      target: `attachment:${ids.pdf}`,
      meta: { ticketId, messageId: expect.any(String) },
    });
  });

  it('answers 404 with the reason when the file is not kept, and does not audit it', async () => {
    const tooBig = await get(ids.tooBig);
    expect(tooBig.status).toBe(404);
    expect((await tooBig.json()).error).toMatchObject({
      code: 'ATTACHMENT_NOT_KEPT',
      message: 'the file was not kept: the file is over 20971520 bytes',
      requestId: expect.any(String),
    });
    const purged = await (await get(ids.purged)).json();
    expect(purged.error.message).toBe('the file was not kept: deleted after 30 days (retention policy)');
    const lost = await get(ids.lost);
    expect(lost.status).toBe(404);
    expect((await lost.json()).error).toMatchObject({
      code: 'ATTACHMENT_NOT_KEPT',
      message: 'the file is missing from the file store',
    });
    const audit = await (
      await h.request('GET', `/v1/admin/audit?target=attachment:${ids.tooBig}`, { token: h.tokens.admin })
    ).json();
    expect(audit.items).toEqual([]);
  });

  it('answers 404 ATTACHMENT_NOT_FOUND for an unknown id', async () => {
    for (const id of ['no-such-attachment', encodeURIComponent('a\u0000b')]) {
      const response = await get(id);
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe('ATTACHMENT_NOT_FOUND');
    }
  });

  it('needs a token: 401 with the envelope, and no bytes', async () => {
    for (const token of [null, 'lkt_wrong']) {
      const response = await get(ids.jpeg, token);
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect((await response.json()).error.code).toBe('UNAUTHORIZED');
    }
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await h.request('GET', '/openapi.json', { token: null })).json();
    expect(doc.paths).toHaveProperty(['/v1/attachments/{id}', 'get']);
  });
});
