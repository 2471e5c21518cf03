import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const HOUR = 3_600_000;
const pdf = Buffer.from('%PDF-1.4 formulir F-1.01');
const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString('base64');

describe.each(databaseKinds())('replies API on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { maxAttachmentBytes: 1024 });
  });
  afterAll(() => h?.close());

  const claimFor = async (ticketId: string, channel: 'telegram' | 'whatsapp-cloud' = 'telegram') =>
    (await h.repos.deliveryQueue.claimDue({ limit: 100, channels: [channel] })).filter(
      (task) => task.ticketId === ticketId,
    );

  it('keeps the files of a reply and hands them to delivery in order', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'f1', externalThreadId: 'f1' });
    const response = await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      body: {
        text: 'Formulir terlampir, Bu.',
        attachments: [
          { name: 'formulir-F1.01.pdf', mime: 'application/pdf', contentBase64: base64(pdf) },
          { name: 'contoh.jpg', mime: 'image/jpeg', contentBase64: base64('jpeg-bytes') },
        ],
      },
    });
    expect(response.status).toBe(202);
    expect((await response.json()).attachments).toMatchObject([
      {
        kind: 'document',
        mime: 'application/pdf',
        name: 'formulir-F1.01.pdf',
        size: pdf.length,
        available: true,
      },
      { kind: 'image', mime: 'image/jpeg', name: 'contoh.jpg', size: 10 },
    ]);
    const reply = (await claimFor(ticketId)).find((task) => task.text === 'Formulir terlampir, Bu.');
    expect(reply?.attachments.map((file) => file.name)).toEqual(['formulir-F1.01.pdf', 'contoh.jpg']);
  });

  it('takes a reply that is only a file, and refuses one that is nothing', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'f2', externalThreadId: 'f2' });
    const fileOnly = await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      body: { attachments: [{ name: 'kk.pdf', mime: 'application/pdf', contentBase64: base64(pdf) }] },
    });
    expect(fileOnly.status).toBe(202);
    const empty = await h.request('POST', `/v1/tickets/${ticketId}/replies`, { body: { text: '  ' } });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.issues[0].path).toBe('text');
  });

  it('refuses unsafe names, bad base64 and bad MIME types (400), and files over the limit (413)', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'f3', externalThreadId: 'f3' });
    const send = (attachment: Record<string, string>) =>
      h.request('POST', `/v1/tickets/${ticketId}/replies`, {
        body: { text: 'x', attachments: [attachment] },
      });
    const good = { name: 'a.pdf', mime: 'application/pdf', contentBase64: base64(pdf) };
    for (const bad of [
      { ...good, name: '../../etc/passwd' },
      { ...good, name: 'a\u0000.pdf' },
      { ...good, contentBase64: 'not base64!' },
      { ...good, mime: 'pdf' },
    ]) {
      const response = await send(bad);
      expect(response.status, JSON.stringify(bad)).toBe(400);
      expect((await response.json()).error.code).toBe('VALIDATION_FAILED');
    }
    const tooBig = await send({ ...good, contentBase64: base64(new Uint8Array(2048)) });
    expect(tooBig.status).toBe(413);
    expect((await tooBig.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('shows WhatsApp Cloud’s reply window and refuses a reply after it (409 REPLY_WINDOW_CLOSED)', async () => {
    const written = new Date(Date.now() - 25 * HOUR);
    const late = await h.receive({
      channel: 'whatsapp-cloud',
      externalUserId: '6281200000001',
      externalThreadId: '6281200000001',
      sentAt: written,
    });
    const ticket = await (await h.request('GET', `/v1/tickets/${late.ticketId}`)).json();
    expect(ticket.replyWindowEndsAt).toBe(new Date(written.getTime() + 24 * HOUR).toISOString());
    const refused = await h.request('POST', `/v1/tickets/${late.ticketId}/replies`, {
      body: { text: 'Halo' },
    });
    expect(refused.status).toBe(409);
    const { error } = await refused.json();
    expect(error.code).toBe('REPLY_WINDOW_CLOSED');
    expect(error.message).toContain('citizen has to write again');
    expect((await claimFor(late.ticketId, 'whatsapp-cloud')).map((task) => task.text)).not.toContain('Halo');

    const fresh = await h.receive({
      channel: 'whatsapp-cloud',
      externalUserId: '6281200000002',
      externalThreadId: '6281200000002',
    });
    const accepted = await h.request('POST', `/v1/tickets/${fresh.ticketId}/replies`, {
      body: { text: 'Halo' },
    });
    expect(accepted.status).toBe(202);
  });

  it('has no reply window on Telegram', async () => {
    const { ticketId } = await h.receive({
      externalUserId: 'f4',
      externalThreadId: 'f4',
      sentAt: new Date(0),
    });
    expect((await (await h.request('GET', `/v1/tickets/${ticketId}`)).json()).replyWindowEndsAt).toBeNull();
  });
});
