import {
  type FakeGraph,
  loadMetaFixture,
  META_FIXTURE_IDS,
  recordingContext,
  startFakeGraph,
  whatsappContact,
  whatsappMessages,
  whatsappStatuses,
  whatsappWebhook,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetaChannel } from '../src/index.ts';
import { BUDI_WA_ID, SITI_WA_ID, signed, VERIFY_TOKEN, whatsappChannel } from './harness.ts';

let fake: FakeGraph;
let channel: MetaChannel;

beforeEach(async () => {
  fake = await startFakeGraph();
  channel = whatsappChannel(fake);
});
afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const at = new Date('2025-03-03T01:30:00Z');
const webhook = (options: Omit<Parameters<typeof whatsappWebhook>[0], 'phoneNumberId'>) =>
  whatsappWebhook({ phoneNumberId: fake.phoneNumberId, ...options });
const sitiText = (body: string, id?: string) =>
  webhook({
    contacts: [whatsappContact(SITI_WA_ID, 'Siti Rahayu')],
    messages: [whatsappMessages.text({ from: SITI_WA_ID, body, timestamp: at, ...(id ? { id } : {}) })],
  });

async function started() {
  const recorder = recordingContext();
  await channel.start(recorder.ctx);
  return recorder;
}

describe('WhatsApp Cloud webhook verification (GET)', () => {
  it('echoes the challenge for subscribe with the right token, 403 otherwise', () => {
    expect(
      channel.verifySubscription({ mode: 'subscribe', verifyToken: VERIFY_TOKEN, challenge: '1158201444' }),
    ).toEqual({ status: 200, body: '1158201444' });
    expect(channel.verifySubscription({ mode: 'subscribe', verifyToken: 'wrong', challenge: '1' })).toEqual({
      status: 403,
    });
    expect(
      channel.verifySubscription({ mode: 'unsubscribe', verifyToken: VERIFY_TOKEN, challenge: '1' }),
    ).toEqual({
      status: 403,
    });
  });
});

describe('WhatsApp Cloud webhook (POST)', () => {
  it('answers 401 to a missing, malformed or wrong signature and processes nothing', async () => {
    const recorder = await started();
    const payload = sitiText('palsu');
    for (const tamper of ['unsigned', 'signature', 'body'] as const) {
      expect(await channel.handleWebhook(signed(payload, tamper))).toEqual({ status: 401 });
    }
    const { rawBody } = signed(payload);
    for (const signature of ['sha256=', 'sha1=abc', 'garbage', `sha256=${'0'.repeat(64)}`]) {
      expect(await channel.handleWebhook({ rawBody, signature })).toEqual({ status: 401 });
    }
    expect(recorder.attempts).toHaveLength(0);
    expect(recorder.rejected).toHaveLength(0);
    expect(fake.requests).toHaveLength(1); // only the token check at start
  });

  it('checks the signature over the raw bytes: same JSON with other whitespace fails', async () => {
    const recorder = await started();
    const fixture = loadMetaFixture('whatsapp-text');
    const good = signed(fixture);
    const reserialised = new TextEncoder().encode(
      JSON.stringify(JSON.parse(new TextDecoder().decode(fixture))),
    );
    expect(await channel.handleWebhook({ rawBody: reserialised, signature: good.signature })).toEqual({
      status: 401,
    });
    expect(recorder.attempts).toHaveLength(0);
    expect(await channel.handleWebhook(good)).toEqual({ status: 200 });
    expect(recorder.stored).toHaveLength(1);
  });

  it('answers 400 to a signed body that is not a WhatsApp webhook', async () => {
    await started();
    for (const body of [
      'not json',
      '[]',
      '{"object":"instagram","entry":[]}',
      '{"object":"whatsapp_business_account"}',
    ]) {
      expect(await channel.handleWebhook(signed(body))).toEqual({ status: 400 });
    }
  });

  it('answers 503 while the channel is not started, so Meta retries', async () => {
    expect(await channel.handleWebhook(signed(sitiText('x')))).toEqual({ status: 503 });
    const recorder = await started();
    await channel.stop();
    expect(await channel.handleWebhook(signed(sitiText('x')))).toEqual({ status: 503 });
    expect(recorder.attempts).toHaveLength(0);
  });

  it('normalises the recorded text fixture exactly', async () => {
    const recorder = await started();
    expect(await channel.handleWebhook(signed(loadMetaFixture('whatsapp-text')))).toEqual({ status: 200 });
    expect(recorder.stored).toEqual([
      {
        channel: 'whatsapp-cloud',
        externalMessageId: 'wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDNzk3QjFGMkU1RjhDMzc0QjkA',
        externalUserId: META_FIXTURE_IDS.citizenWaId,
        externalThreadId: META_FIXTURE_IDS.citizenWaId,
        displayName: 'Siti Rahayu',
        phone: '+6281234567890',
        sentAt: new Date(1740965400 * 1000),
        text: 'Selamat pagi, mau tanya syarat surat keterangan domisili',
        attachments: [],
      },
    ]);
  });

  it('answers 200 only after the message is stored', async () => {
    const order: string[] = [];
    const recorder = recordingContext(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('stored');
    });
    await channel.start(recorder.ctx);
    const result = await channel.handleWebhook(signed(sitiText('Halo')));
    order.push(`answered ${result.status}`);
    expect(order).toEqual(['stored', 'answered 200']);
  });

  it('answers 500 when storing fails, stopping at the failed item; a redelivery carries the same ids', async () => {
    let failing = true;
    const recorder = recordingContext(async () => {
      if (failing) throw new Error('database down');
    });
    await channel.start(recorder.ctx);
    const payload = webhook({
      contacts: [whatsappContact(SITI_WA_ID, 'Siti Rahayu')],
      messages: [
        whatsappMessages.text({ from: SITI_WA_ID, body: 'satu' }),
        whatsappMessages.text({ from: SITI_WA_ID, body: 'dua' }),
      ],
    });
    const delivery = signed(payload);
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 500 });
    expect(recorder.attempts.map((m) => m.text)).toEqual(['satu']);
    failing = false;
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 200 });
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 200 });
    const ids = recorder.attempts.map((m) => m.externalMessageId);
    const [first, , second] = ids;
    expect(ids).toEqual([first, first, second, first, second]);
    expect(first).not.toBe(second);
    expect(recorder.attempts[0]).toEqual(recorder.attempts[3]);
  });

  it('normalises every supported message type', async () => {
    const recorder = await started();
    const from = SITI_WA_ID;
    const payload = webhook({
      contacts: [whatsappContact(SITI_WA_ID, 'Siti Rahayu')],
      messages: [
        whatsappMessages.text({ from, body: 'teks' }),
        whatsappMessages.image({ from, mediaId: '901', caption: 'foto KTP', mimeType: 'image/jpeg' }),
        whatsappMessages.document({ from, mediaId: '902', filename: 'kk.pdf', caption: 'KK saya' }),
        whatsappMessages.audio({ from, mediaId: '903' }),
        whatsappMessages.video({ from, mediaId: '904' }),
        whatsappMessages.sticker({ from, mediaId: '905' }),
        whatsappMessages.location({
          from,
          latitude: -6.3721,
          longitude: 106.8317,
          name: 'Kantor Kelurahan',
          address: 'Jl. Beji',
        }),
        whatsappMessages.contacts({
          from,
          cards: [{ name: 'Budi Santoso', phone: '+62 857-1234-5678', waId: BUDI_WA_ID }],
        }),
        whatsappMessages.buttonReply({ from, buttonId: 'svc-ktp', title: 'Layanan KTP' }),
        whatsappMessages.listReply({
          from,
          rowId: 'svc-kk',
          title: 'Kartu Keluarga',
          description: 'Urus KK',
        }),
        whatsappMessages.templateButton({ from, text: 'Ya, benar' }),
      ],
    });
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    const [text, image, document, audio, video, sticker, location, contacts, button, list, template] =
      recorder.stored;
    expect(recorder.stored).toHaveLength(11);
    expect(text).toMatchObject({ text: 'teks', attachments: [] });
    expect(image).toMatchObject({ text: 'foto KTP', attachments: [{ kind: 'image', mime: 'image/jpeg' }] });
    expect(document).toMatchObject({
      text: 'KK saya',
      attachments: [{ kind: 'document', mime: 'application/pdf', name: 'kk.pdf' }],
    });
    expect(audio).toMatchObject({
      text: '',
      attachments: [{ kind: 'audio', mime: 'audio/ogg; codecs=opus' }],
    });
    expect(video).toMatchObject({ attachments: [{ kind: 'video', mime: 'video/mp4' }] });
    expect(sticker).toMatchObject({ attachments: [{ kind: 'sticker', mime: 'image/webp' }] });
    expect(location).toMatchObject({
      text: '',
      location: { latitude: -6.3721, longitude: 106.8317, title: 'Kantor Kelurahan', address: 'Jl. Beji' },
    });
    expect(contacts?.contacts).toEqual([
      { name: 'Budi Santoso', phone: '+62 857-1234-5678', externalUserId: BUDI_WA_ID },
    ]);
    expect(button?.text).toBe('Layanan KTP');
    expect(list?.text).toBe('Kartu Keluarga');
    expect(template?.text).toBe('Ya, benar');
    for (const message of recorder.stored) {
      expect(message).toMatchObject({
        channel: 'whatsapp-cloud',
        externalUserId: from,
        displayName: 'Siti Rahayu',
      });
    }
  });

  it('names a sender without a profile by the number', async () => {
    const recorder = await started();
    await channel.handleWebhook(
      signed(webhook({ messages: [whatsappMessages.text({ from: BUDI_WA_ID, body: 'x' })] })),
    );
    expect(recorder.stored[0]).toMatchObject({ displayName: `+${BUDI_WA_ID}`, phone: `+${BUDI_WA_ID}` });
  });

  it('rejects reactions, unsupported and system messages without content, and still answers 200', async () => {
    const recorder = await started();
    const from = SITI_WA_ID;
    const payload = webhook({
      messages: [
        whatsappMessages.reaction({ from, id: 'wamid.r1', messageId: 'wamid.ours', emoji: '👍' }),
        whatsappMessages.unsupported({ from, id: 'wamid.u1' }),
        whatsappMessages.system({ from, id: 'wamid.s1', body: 'changed number', newWaId: BUDI_WA_ID }),
        whatsappMessages.text({ from, body: 'tetap diterima' }),
      ],
    });
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    expect(recorder.rejected).toEqual([
      { reason: 'reaction', detail: { messageId: 'wamid.r1', type: 'reaction' } },
      {
        reason: 'unsupported-message',
        detail: { messageId: 'wamid.u1', type: 'unsupported', errorCode: 131051 },
      },
      {
        reason: 'system-message',
        detail: { messageId: 'wamid.s1', type: 'system', systemType: 'user_changed_number' },
      },
    ]);
    expect(JSON.stringify(recorder.rejected)).not.toContain('👍');
    expect(recorder.stored.map((m) => m.text)).toEqual(['tetap diterima']);
  });

  it('rejects and skips changes addressed to another phone number id', async () => {
    const recorder = await started();
    const other = whatsappWebhook({
      phoneNumberId: '109999999999999',
      messages: [whatsappMessages.text({ from: SITI_WA_ID, body: 'salah nomor' })],
    });
    expect(await channel.handleWebhook(signed(other))).toEqual({ status: 200 });
    expect(recorder.attempts).toHaveLength(0);
    expect(recorder.rejected).toEqual([
      { reason: 'wrong-phone-number-id', detail: { phoneNumberId: '109999999999999' } },
    ]);
  });

  it('hands statuses over as delivery receipts, a failure with its reason', async () => {
    const recorder = await started();
    const payload = webhook({
      statuses: [
        whatsappStatuses.sent({ id: 'wamid.out1', recipientId: SITI_WA_ID, timestamp: at }),
        whatsappStatuses.delivered({ id: 'wamid.out1', recipientId: SITI_WA_ID, timestamp: at }),
        whatsappStatuses.read({ id: 'wamid.out1', recipientId: SITI_WA_ID, timestamp: at }),
        whatsappStatuses.failed({
          id: 'wamid.out2',
          recipientId: SITI_WA_ID,
          timestamp: at,
          code: 131026,
          title: 'Message undeliverable',
        }),
      ],
    });
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    expect(
      recorder.receipts.map(({ externalMessageId, status, at }) => ({ externalMessageId, status, at })),
    ).toEqual([
      { externalMessageId: 'wamid.out1', status: 'sent', at },
      { externalMessageId: 'wamid.out1', status: 'delivered', at },
      { externalMessageId: 'wamid.out1', status: 'read', at },
      { externalMessageId: 'wamid.out2', status: 'failed', at },
    ]);
    expect(recorder.receipts[3]?.error).toMatch(/WhatsApp cannot deliver to this number.*Meta error 131026/);
    expect(recorder.receipts.slice(0, 3).every((receipt) => receipt.error === undefined)).toBe(true);
  });

  it('reads the recorded statuses fixture: a 24-hour-window failure explained', async () => {
    const recorder = await started();
    expect(await channel.handleWebhook(signed(loadMetaFixture('whatsapp-statuses')))).toEqual({
      status: 200,
    });
    expect(recorder.receipts).toMatchObject([
      { status: 'delivered', at: new Date(1740966000 * 1000) },
      { status: 'failed', error: expect.stringMatching(/more than 24 hours ago.*131047/) },
    ]);
  });

  it('answers 500 when storing a receipt fails', async () => {
    const recorder = await started();
    recorder.ctx.onDeliveryReceipt = async () => {
      throw new Error('database down');
    };
    const payload = webhook({
      statuses: [whatsappStatuses.read({ id: 'wamid.out1', recipientId: SITI_WA_ID })],
    });
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 500 });
  });
});
