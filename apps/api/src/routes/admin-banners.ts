import { createRoute, z } from '@hono/zod-openapi';
import {
  BANNER_ACCOUNT_FIELD,
  BANNER_CHANNELS,
  type BannerChannel,
  bannerAccountHint,
  bannerLinks,
  DEPOK_KELURAHAN,
  findBannerSite,
  type OfficePolicy,
} from '@loket/core';
import QRCode from 'qrcode';
import type { LoketApp } from '../app.ts';
import { bannerPrintPage, PRINT_PAGE_HEADERS } from '../banner-print-page.ts';
import type { ApiDeps } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';

// Banners hang outdoors and get creased and dirty: level Q still reads with a quarter of the code
// damaged, and keeps the modules of a long wa.me link large enough. The quiet zone is the 4 modules
// the QR standard asks for; 16 px a module makes a 650-950 px image, enough for a print up to ~10 cm.
const QR_OPTIONS = { errorCorrectionLevel: 'Q', margin: 4 } as const;
const QR_PNG_SCALE = 16;

const linksSchema = z.object({
  telegram: z
    .string()
    .url()
    .nullable()
    .openapi({ example: 'https://t.me/DisdukcapilDepokBot?start=beji--kukusan' }),
  whatsapp: z.string().url().nullable().openapi({
    example:
      'https://wa.me/6281234567890?text=Halo%20Disdukcapil%20Kota%20Depok%2C%20saya%20mau%20bertanya.%20(Kode%3A%20beji--kukusan)',
  }),
  instagram: z
    .string()
    .url()
    .nullable()
    .openapi({ example: 'https://ig.me/m/disdukcapil.depok?ref=beji--kukusan' }),
});

const bannerSchema = z
  .object({
    code: z.string().openapi({ example: 'beji--kukusan' }),
    kelurahan: z.string().openapi({ example: 'Kukusan' }),
    kecamatan: z.string().openapi({ example: 'Beji' }),
    links: linksSchema.openapi({ description: "Null where the office has not set that channel's account" }),
  })
  .openapi('Banner');

const channelQuery = z.object({
  channel: z.enum(BANNER_CHANNELS).openapi({ description: 'Which link the QR code carries' }),
});

const listBanners = createRoute({
  method: 'get',
  path: '/v1/admin/banners',
  tags: ['admin'],
  summary: 'Every kelurahan banner with its links (Telegram, WhatsApp, Instagram)',
  description:
    'A link is null until the office sets that account in the policy (`banners` in PATCH /v1/admin/settings); `channels` says which are missing and how to set them.',
  responses: {
    200: {
      description: 'The banners, by kecamatan then kelurahan',
      content: {
        'application/json': {
          schema: z.object({
            channels: z.array(
              z.object({
                channel: z.enum(BANNER_CHANNELS),
                account: z.string().nullable(),
                hint: z
                  .string()
                  .nullable()
                  .openapi({ description: 'What to do when the account is not set' }),
              }),
            ),
            items: z.array(bannerSchema),
          }),
        },
      },
    },
    ...errorResponses(401, 403),
  },
});

const getQr = createRoute({
  method: 'get',
  path: '/v1/admin/banners/{code}/qr.png',
  tags: ['admin'],
  summary: "One banner's QR code as a PNG, ready to print",
  request: {
    params: z.object({
      code: z
        .string()
        .min(1)
        .max(200)
        .openapi({ param: { name: 'code', in: 'path' }, example: 'beji--kukusan' }),
    }),
    query: channelQuery,
  },
  responses: {
    200: {
      description: 'The QR code (error correction Q, 4-module quiet zone)',
      content: { 'image/png': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

const printPage = createRoute({
  method: 'get',
  path: '/v1/admin/banners/print',
  tags: ['admin'],
  summary: "A printable A4 page of every kelurahan's QR code for one channel",
  description:
    'Self-contained HTML (inline images and styles, nothing loaded from elsewhere). Save it, open it in a browser and print.',
  request: { query: channelQuery },
  responses: {
    200: { description: 'The page', content: { 'text/html': { schema: z.string() } } },
    ...errorResponses(400, 401, 403, 409),
  },
});

const CHANNEL_LABEL: Record<BannerChannel, string> = {
  telegram: 'Telegram bot',
  whatsapp: 'WhatsApp number',
  instagram: 'Instagram account',
};

/** The account a channel's banners point to, or 409 with what to set. */
function accountOrThrow(policy: OfficePolicy, channel: BannerChannel): string {
  const account = policy.banners[BANNER_ACCOUNT_FIELD[channel]];
  if (!account) {
    throw new ApiError(
      'CHANNEL_NOT_CONFIGURED',
      `no ${CHANNEL_LABEL[channel]} is set for the banners: ${bannerAccountHint(channel)}`,
    );
  }
  return account;
}

export function registerAdminBannerRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(listBanners, async (c) => {
    const policy = await deps.settings.getPolicy();
    const channels = BANNER_CHANNELS.map((channel) => {
      const account = policy.banners[BANNER_ACCOUNT_FIELD[channel]];
      return { channel, account, hint: account ? null : bannerAccountHint(channel) };
    });
    const items = DEPOK_KELURAHAN.map((site) => ({ ...site, links: bannerLinks(site, policy) }));
    return c.json({ channels, items }, 200);
  });

  app.openapi(getQr, async (c) => {
    const { code } = c.req.valid('param');
    const { channel } = c.req.valid('query');
    const site = findBannerSite(code);
    if (!site) {
      throw new ApiError(
        'NOT_FOUND',
        `no kelurahan banner has the code ${code}; GET /v1/admin/banners lists them`,
      );
    }
    const policy = await deps.settings.getPolicy();
    accountOrThrow(policy, channel);
    const link = bannerLinks(site, policy)[channel];
    if (!link) throw new Error(`a ${channel} account is set but no link was built`);
    const png = await QRCode.toBuffer(link, { ...QR_OPTIONS, type: 'png', scale: QR_PNG_SCALE });
    return c.body(new Uint8Array(png), 200, {
      'Content-Type': 'image/png',
      'Content-Disposition': `inline; filename="qr-${site.code}-${channel}.png"`,
      // The link follows the settings: a changed number must not be printed from a stale copy.
      'Cache-Control': 'no-store',
    });
  });

  app.openapi(printPage, async (c) => {
    const { channel } = c.req.valid('query');
    const policy = await deps.settings.getPolicy();
    const account = accountOrThrow(policy, channel);
    const banners = await Promise.all(
      DEPOK_KELURAHAN.map(async (site) => {
        const link = bannerLinks(site, policy)[channel] ?? '';
        return { site, link, qrSvg: await QRCode.toString(link, { ...QR_OPTIONS, type: 'svg' }) };
      }),
    );
    const html = bannerPrintPage({ officeName: policy.officeName, channel, account, banners });
    return c.body(html, 200, PRINT_PAGE_HEADERS);
  });
}
