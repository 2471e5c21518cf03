import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const KUKUSAN_WHATSAPP =
  'https://wa.me/6281234567890?text=Halo%20Disdukcapil%20Kota%20Depok%2C%20saya%20mau%20bertanya.%20(Kode%3A%20beji--kukusan)';

const BANNER_ROUTES = [
  '/v1/admin/banners',
  '/v1/admin/banners/beji--kukusan/qr.png?channel=telegram',
  '/v1/admin/banners/print?channel=telegram',
];

describe.each(databaseKinds())('kelurahan banners API on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
  });
  afterAll(() => h.close());
  const asAdmin = (path: string, headers?: Record<string, string>) =>
    h.request('GET', path, { token: h.tokens.admin, headers });
  const setAccounts = async (banners: Record<string, string | null>, officeName?: string) => {
    const response = await h.request('PATCH', '/v1/admin/settings', {
      token: h.tokens.admin,
      body: { banners, ...(officeName ? { officeName } : {}) },
    });
    expect(response.status).toBe(200);
  };

  it('lists the 63 kelurahan without links, and says how to set each account', async () => {
    await setAccounts({ telegramBot: null, whatsappNumber: null, instagramAccount: null });
    const response = await asAdmin('/v1/admin/banners');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.items).toHaveLength(63);
    expect(body.items[0]).toEqual({
      code: 'beji--beji',
      kelurahan: 'Beji',
      kecamatan: 'Beji',
      links: { telegram: null, whatsapp: null, instagram: null },
    });
    expect(body.channels).toEqual([
      { channel: 'telegram', account: null, hint: expect.stringContaining('banners.telegramBot') },
      { channel: 'whatsapp', account: null, hint: expect.stringContaining('banners.whatsappNumber') },
      { channel: 'instagram', account: null, hint: expect.stringContaining('banners.instagramAccount') },
    ]);
  });

  it("gives each channel's link once its account is set", async () => {
    await setAccounts({ telegramBot: 'DisdukcapilDepokBot', whatsappNumber: '6281234567890' });
    const body = await (await asAdmin('/v1/admin/banners')).json();
    const kukusan = body.items.find((item: { code: string }) => item.code === 'beji--kukusan');
    expect(kukusan.links).toEqual({
      telegram: 'https://t.me/DisdukcapilDepokBot?start=beji--kukusan',
      whatsapp: KUKUSAN_WHATSAPP,
      instagram: null,
    });
    expect(body.channels[2]).toMatchObject({ channel: 'instagram', account: null });
    await setAccounts({ instagramAccount: 'disdukcapil.depok' });
    const after = await (await asAdmin('/v1/admin/banners')).json();
    expect(after.items[3].links.instagram).toBe('https://ig.me/m/disdukcapil.depok?ref=beji--kukusan');
    expect(after.channels.every((channel: { hint: string | null }) => channel.hint === null)).toBe(true);
  });

  it('serves a QR PNG that encodes exactly the link', async () => {
    await setAccounts({ telegramBot: 'DisdukcapilDepokBot', whatsappNumber: '6281234567890' });
    const response = await asAdmin('/v1/admin/banners/beji--kukusan/qr.png?channel=whatsapp');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const png = Buffer.from(await response.arrayBuffer());
    // The same encoder with the same options gives the same bytes: the picture holds this link.
    const expected = await QRCode.toBuffer(KUKUSAN_WHATSAPP, {
      type: 'png',
      errorCorrectionLevel: 'Q',
      margin: 4,
      scale: 16,
    });
    expect(png.equals(expected)).toBe(true);
    // Its size from the PNG header: (modules + 2 x 4 quiet-zone modules) x 16 px, square.
    const width = png.readUInt32BE(16);
    const modules = QRCode.create(KUKUSAN_WHATSAPP, { errorCorrectionLevel: 'Q' }).modules.size;
    expect(width).toBe((modules + 8) * 16);
    expect(png.readUInt32BE(20)).toBe(width);
  });

  it('answers an unknown code with 404, an account not set with 409, a bad channel with 400', async () => {
    await setAccounts({ instagramAccount: null });
    const unknown = await asAdmin('/v1/admin/banners/beji--atlantis/qr.png?channel=telegram');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('beji--atlantis'),
    });
    const noAccount = await asAdmin('/v1/admin/banners/beji--kukusan/qr.png?channel=instagram');
    expect(noAccount.status).toBe(409);
    expect((await noAccount.json()).error).toMatchObject({
      code: 'CHANNEL_NOT_CONFIGURED',
      message: expect.stringContaining('banners.instagramAccount'),
    });
    const badChannel = await asAdmin('/v1/admin/banners/beji--kukusan/qr.png?channel=fax');
    expect(badChannel.status).toBe(400);
    expect((await badChannel.json()).error.issues[0].path).toBe('channel');
    expect((await asAdmin('/v1/admin/banners/beji--kukusan/qr.png')).status).toBe(400);
    const printWithout = await asAdmin('/v1/admin/banners/print?channel=instagram');
    expect(printWithout.status).toBe(409);
  });

  it('prints every QR on one self-contained page, with every text escaped', async () => {
    await setAccounts(
      { telegramBot: 'DisdukcapilDepokBot' },
      'Disdukcapil <script>alert(1)</script> & "Depok"',
    );
    const response = await asAdmin('/v1/admin/banners/print?channel=telegram');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    const images = [...html.matchAll(/<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/g)];
    expect(images).toHaveLength(63);
    // The Kukusan card's image is the QR of its Telegram link.
    const kukusan = await QRCode.toString('https://t.me/DisdukcapilDepokBot?start=beji--kukusan', {
      type: 'svg',
      errorCorrectionLevel: 'Q',
      margin: 4,
    });
    expect(images.map((image) => Buffer.from(image[1]!, 'base64').toString('utf8'))).toContain(kukusan);
    expect(html).toContain('<h2>Kukusan</h2>');
    expect(html).toContain('Kecamatan Pancoran Mas');
    expect(html).toContain('@page { size: A4 portrait');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Disdukcapil &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Depok&quot;');
    // Nothing is loaded from elsewhere.
    expect(html).not.toMatch(/<(link|script)\b|src="https?:|url\(/i);
    await setAccounts({}, 'Disdukcapil Kota Depok');
  });

  it.each(BANNER_ROUTES)(
    'GET %s is admin only: 401 without a token, 403 for officers and supervisors',
    async (path) => {
      await setAccounts({ telegramBot: 'DisdukcapilDepokBot' });
      expect((await h.request('GET', path, { token: null })).status).toBe(401);
      for (const role of ['officer', 'supervisor'] as const) {
        const response = await h.request('GET', path, { token: h.tokens[role] });
        expect(response.status).toBe(403);
        expect((await response.json()).error.code).toBe('FORBIDDEN');
      }
      expect((await asAdmin(path)).status).toBe(200);
    },
  );

  it('documents the routes with their content types', async () => {
    const doc = await (await h.request('GET', '/openapi.json', { token: null })).json();
    expect(doc.paths['/v1/admin/banners'].get.responses['200'].content).toHaveProperty(['application/json']);
    expect(Object.keys(doc.paths['/v1/admin/banners/{code}/qr.png'].get.responses['200'].content)).toEqual([
      'image/png',
    ]);
    expect(Object.keys(doc.paths['/v1/admin/banners/print'].get.responses['200'].content)).toEqual([
      'text/html',
    ]);
  });
});
