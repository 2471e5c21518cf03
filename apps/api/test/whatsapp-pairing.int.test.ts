import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WhatsAppPairing } from '../src/context.ts';
import { createHarness, type Harness } from './harness.ts';

// The pairing port as the gateway gives it; the real Baileys pairing runs in the end-to-end test.
type PairingStub = {
  running: boolean;
  qr: { qr: string; expiresAt: Date } | null;
  requested: string[];
  port: WhatsAppPairing;
};

function pairingStub(): PairingStub {
  const requested: string[] = [];
  const stub: PairingStub = {
    running: false,
    qr: null as { qr: string; expiresAt: Date } | null,
    requested,
    port: {
      state: () => ({ running: stub.running, qr: stub.qr }),
      requestPairingCode: async (phoneNumber: string) => {
        requested.push(phoneNumber);
        return 'ABCD1234';
      },
    },
  };
  return stub;
}

describe('WhatsApp pairing over the admin API', () => {
  let h: Harness;
  const stub = pairingStub();
  beforeAll(async () => {
    h = await createHarness('pglite', { whatsappPairing: stub.port });
  });
  afterAll(() => h.close());

  it('answers 503 while WhatsApp is not running', async () => {
    const response = await h.request('GET', '/v1/admin/channels/whatsapp/qr', { token: h.tokens.admin });
    expect(response.status).toBe(503);
    expect((await response.json()).error.code).toBe('CHANNEL_DISABLED');
  });

  it('serves the QR as JSON, or as a PNG image on request', async () => {
    stub.running = true;
    stub.qr = { qr: '2@abc,def,ghi,jkl', expiresAt: new Date('2026-03-02T02:00:20Z') };
    const json = await h.request('GET', '/v1/admin/channels/whatsapp/qr', { token: h.tokens.admin });
    expect(await json.json()).toEqual({ qr: '2@abc,def,ghi,jkl', expiresAt: '2026-03-02T02:00:20.000Z' });
    const png = await h.request('GET', '/v1/admin/channels/whatsapp/qr', {
      token: h.tokens.admin,
      headers: { accept: 'image/png' },
    });
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  });

  it('answers 409 when there is no QR (paired already)', async () => {
    stub.qr = null;
    const response = await h.request('GET', '/v1/admin/channels/whatsapp/qr', { token: h.tokens.admin });
    expect(response.status).toBe(409);
  });

  it('gives a pairing code for a phone number written any common way', async () => {
    const response = await h.request('POST', '/v1/admin/channels/whatsapp/pairing-code', {
      token: h.tokens.admin,
      body: { phoneNumber: '+62 812-3456-7890' },
    });
    expect(await response.json()).toEqual({ code: 'ABCD1234' });
    expect(stub.requested).toEqual(['6281234567890']);
    const bad = await h.request('POST', '/v1/admin/channels/whatsapp/pairing-code', {
      token: h.tokens.admin,
      body: { phoneNumber: '0812' },
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe('phoneNumber');
  });

  it('is for admins only', async () => {
    for (const [method, path] of [
      ['GET', '/v1/admin/channels/whatsapp/qr'],
      ['POST', '/v1/admin/channels/whatsapp/pairing-code'],
    ] as const) {
      const response = await h.request(method, path, {
        token: h.tokens.supervisor,
        body: method === 'POST' ? { phoneNumber: '6281234567890' } : undefined,
      });
      expect(response.status).toBe(403);
    }
  });
});
