import { createRoute, z } from '@hono/zod-openapi';
import QRCode from 'qrcode';
import type { LoketApp } from '../app.ts';
import type { ApiDeps, WhatsAppPairing } from '../context.ts';
import { ApiError, errorResponses } from '../errors.ts';

const qrSchema = z
  .object({
    qr: z.string().openapi({ description: 'The text of the QR code WhatsApp shows under Linked devices' }),
    expiresAt: z.string().datetime(),
  })
  .openapi('WhatsAppQr');

const getQr = createRoute({
  method: 'get',
  path: '/v1/admin/channels/whatsapp/qr',
  tags: ['admin'],
  summary: 'The QR to scan with the office phone (WhatsApp → Linked devices)',
  description:
    'JSON by default; with `Accept: image/png`, the QR as a PNG image. A new QR replaces it every few seconds.',
  responses: {
    200: {
      description: 'The current QR',
      content: {
        'application/json': { schema: qrSchema },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
    ...errorResponses(401, 403, 409, 503),
  },
});

const pairingCodeBody = z
  .object({
    phoneNumber: z
      .string()
      .transform((value) => value.replace(/[\s()+-]/g, ''))
      .pipe(z.string().regex(/^\d{8,15}$/, 'the number in international form, digits only: 6281234567890')),
  })
  .strict();

const postPairingCode = createRoute({
  method: 'post',
  path: '/v1/admin/channels/whatsapp/pairing-code',
  tags: ['admin'],
  summary: 'Pair by code instead of QR: type the 8 characters on the phone',
  request: { body: { content: { 'application/json': { schema: pairingCodeBody } }, required: true } },
  responses: {
    200: {
      description: 'The code to type on the phone (WhatsApp → Linked devices → Link with phone number)',
      content: {
        'application/json': { schema: z.object({ code: z.string().openapi({ example: 'ABCD1234' }) }) },
      },
    },
    ...errorResponses(400, 401, 403, 409, 503),
  },
});

function pairingOrThrow(deps: ApiDeps): WhatsAppPairing & { qrNow(): { qr: string; expiresAt: Date } } {
  const pairing = deps.whatsappPairing;
  const state = pairing?.state();
  if (!pairing || !state?.running) {
    throw new ApiError(
      'CHANNEL_DISABLED',
      'WhatsApp is not running: enable it with PATCH /v1/admin/channels/whatsapp',
    );
  }
  return {
    ...pairing,
    qrNow() {
      const qr = pairing.state().qr;
      if (!qr)
        throw new ApiError(
          'CONFLICT',
          'there is no QR to scan: WhatsApp is paired already, or still connecting',
        );
      return qr;
    },
  };
}

export function registerAdminWhatsAppRoutes(app: LoketApp, deps: ApiDeps): void {
  app.openapi(getQr, async (c) => {
    const qr = pairingOrThrow(deps).qrNow();
    if ((c.req.header('accept') ?? '').includes('image/png')) {
      const png = await QRCode.toBuffer(qr.qr, {
        type: 'png',
        margin: 2,
        scale: 8,
        errorCorrectionLevel: 'M',
      });
      c.header('Cache-Control', 'no-store');
      return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png' });
    }
    return c.json({ qr: qr.qr, expiresAt: qr.expiresAt.toISOString() }, 200);
  });

  app.openapi(postPairingCode, async (c) => {
    const pairing = pairingOrThrow(deps);
    const { phoneNumber } = c.req.valid('json');
    const code = await pairing.requestPairingCode(phoneNumber).catch((error: unknown) => {
      throw new ApiError(
        'CONFLICT',
        error instanceof Error ? error.message : 'WhatsApp could not give a code now',
      );
    });
    await deps.audit.record({
      actorId: c.get('user').id,
      action: 'channel.whatsapp.pairing_code',
      target: 'channel:whatsapp',
    });
    return c.json({ code }, 200);
  });
}
