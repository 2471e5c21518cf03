import { type FakeTelegram, startFakeTelegram, telegramFailures, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';

const METRICS_TOKEN = 'e2e-metrics-token-0123456789';
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

describe('end to end: pnpm start on the embedded database, Telegram against the fake Bot API', () => {
  let fake: FakeTelegram;
  let loket: LoketProcess;
  let officerToken: string;
  let ticketId: string;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    loket = await startLoketProcess({
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      METRICS_TOKEN: METRICS_TOKEN,
    });
  }, 90_000);
  afterAll(async () => {
    await loket?.stop();
    await fake?.close();
  });

  const inbox = async () => (await loket.api('GET', '/v1/tickets', officerToken)).body.items as JsonBody[];
  const messagesOf = async (id: string) =>
    (await loket.api('GET', `/v1/tickets/${id}/messages`, officerToken)).body.items as JsonBody[];

  it('answers /healthz and lets the admin enable Telegram at runtime', async () => {
    expect((await fetch(`${loket.url}/healthz`)).status).toBe(200);
    const officer = await loket.api('POST', '/v1/admin/users', ADMIN_TOKEN, {
      name: 'Dewi',
      email: 'dewi@depok.go.id',
      role: 'officer',
    });
    expect(officer.status).toBe(201);
    officerToken = officer.body.token;
    const enabled = await loket.api('PATCH', '/v1/admin/channels/telegram', ADMIN_TOKEN, { enabled: true });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ channel: 'telegram', enabled: true });
    await waitUntil(
      async () => {
        const { body } = await loket.api('GET', '/v1/admin/channels', ADMIN_TOKEN);
        return body.items.find((c: JsonBody) => c.channel === 'telegram')?.status === 'connected';
      },
      { timeoutMs: 15_000, message: 'telegram never became connected' },
    );
  });

  it("turns a citizen's message into a ticket and sends the acknowledgement", async () => {
    fake.pushTextMessage({
      fromId: 424242,
      firstName: 'Siti',
      lastName: 'Aminah',
      text: 'Selamat pagi, mau buat akta kelahiran',
      messageId: 77,
    });
    await waitUntil(async () => (await inbox()).length === 1, {
      timeoutMs: 15_000,
      message: 'no ticket appeared',
    });
    const [ticket] = await inbox();
    ticketId = ticket.id;
    expect(ticket).toMatchObject({
      channel: 'telegram',
      service: 'AKTA_KELAHIRAN',
      contact: { displayName: 'Siti Aminah' },
      slaState: 'on_track',
    });
    await waitUntil(() => fake.sent.some((s) => s.text?.includes(ticket.number)), {
      timeoutMs: 15_000,
      message: 'no acknowledgement',
    });
    const ack = fake.sent.find((s) => s.text?.includes(ticket.number));
    expect(ack?.chatId).toBe('424242');
    expect(ack?.text).toContain('3x24 jam');
    await waitUntil(async () =>
      (await messagesOf(ticketId)).some((m) => m.automated && m.deliveryStatus === 'sent'),
    );
  });

  it('stores a redelivered update once', async () => {
    // The same Telegram message arriving again (as after a crash before the offset was confirmed).
    fake.pushTextMessage({
      fromId: 424242,
      firstName: 'Siti',
      text: 'Selamat pagi, mau buat akta kelahiran',
      messageId: 77,
    });
    fake.pushTextMessage({ fromId: 424242, firstName: 'Siti', text: 'ini nomor KK saya', messageId: 78 });
    await waitUntil(
      async () => (await messagesOf(ticketId)).filter((m) => m.direction === 'inbound').length === 2,
      { timeoutMs: 15_000 },
    );
    await waitUntil(() => fake.pendingUpdates().length === 0);
    const inbound = (await messagesOf(ticketId)).filter((m) => m.direction === 'inbound');
    expect(inbound.map((m) => m.text)).toEqual([
      'Selamat pagi, mau buat akta kelahiran',
      'ini nomor KK saya',
    ]);
    expect(await inbox()).toHaveLength(1);
  });

  it("delivers an officer's reply, marks it sent and meets the SLA", async () => {
    const reply = await loket.api('POST', `/v1/tickets/${ticketId}/replies`, officerToken, {
      text: 'Baik Bu Siti, silakan kirim foto KK.',
    });
    expect(reply.status).toBe(202);
    expect(reply.body.deliveryStatus).toBe('queued');
    await waitUntil(() => fake.sent.some((s) => s.text === 'Baik Bu Siti, silakan kirim foto KK.'), {
      timeoutMs: 15_000,
    });
    await waitUntil(
      async () => (await messagesOf(ticketId)).find((m) => m.id === reply.body.id)?.deliveryStatus === 'sent',
    );
    const ticket = (await loket.api('GET', `/v1/tickets/${ticketId}`, officerToken)).body;
    expect(ticket.slaState).toBe('met');
    expect(ticket.firstRespondedAt).not.toBeNull();
  });

  it('retries a reply the platform rate-limited (429 retry_after)', async () => {
    fake.failNext('sendMessage', telegramFailures.tooManyRequests(1));
    const before = fake.callsTo('sendMessage').length;
    const reply = await loket.api('POST', `/v1/tickets/${ticketId}/replies`, officerToken, {
      text: 'Mohon ditunggu.',
    });
    await waitUntil(
      async () => (await messagesOf(ticketId)).find((m) => m.id === reply.body.id)?.deliveryStatus === 'sent',
      { timeoutMs: 15_000 },
    );
    expect(fake.callsTo('sendMessage').length - before).toBe(2);
    expect(fake.sent.filter((s) => s.text === 'Mohon ditunggu.')).toHaveLength(1);
  });

  it('never sends a note', async () => {
    const note = await loket.api('POST', `/v1/tickets/${ticketId}/notes`, officerToken, {
      text: 'catatan internal: berkas lengkap',
    });
    expect(note.status).toBe(201);
    const probe = await loket.api('POST', `/v1/tickets/${ticketId}/replies`, officerToken, {
      text: 'Terima kasih.',
    });
    await waitUntil(
      async () => (await messagesOf(ticketId)).find((m) => m.id === probe.body.id)?.deliveryStatus === 'sent',
    );
    expect(fake.sent.some((s) => s.text?.includes('catatan internal'))).toBe(false);
  });

  it('refuses an officer on admin routes (403)', async () => {
    const response = await loket.api('PATCH', '/v1/admin/channels/telegram', officerToken, {
      enabled: false,
    });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });

  it('counts what happened in Prometheus metrics, behind the metrics token', async () => {
    const url = `${loket.url}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const response = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    const text = await response.text();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.split(' ')
          .at(-1),
      );
    expect(value('loket_inbound_messages_total{channel="telegram",outcome="stored"}')).toBeGreaterThanOrEqual(
      1,
    );
    expect(
      value('loket_inbound_messages_total{channel="telegram",outcome="duplicate"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value('loket_outbound_messages_total{channel="telegram",outcome="sent"}')).toBeGreaterThanOrEqual(
      2,
    );
    expect(
      value('loket_outbound_messages_total{channel="telegram",outcome="retried"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(value('loket_delivery_latency_seconds_count{channel="telegram"}')).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/loket_delivery_queue_depth\{channel="telegram"\} \d+/);
    expect(text).toMatch(
      /loket_http_request_duration_seconds_count\{method="GET",route="\/v1\/tickets\/:id\/messages",status="200"\} \d+/,
    );
    // Where the process's memory goes: V8's heap within what it committed; external holds PGlite's heap.
    const memory = (kind: string) => value(`loket_process_memory_bytes{kind="${kind}"}`);
    expect(memory('heap_used')).toBeGreaterThan(0);
    expect(memory('heap_used')).toBeLessThanOrEqual(memory('heap_total'));
    expect(memory('external')).toBeGreaterThan(memory('array_buffers'));
  });

  it('stops polling when the admin switches Telegram off', async () => {
    const off = await loket.api('PATCH', '/v1/admin/channels/telegram', ADMIN_TOKEN, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, status: 'disabled' });
    const polls = fake.getUpdatesCalls.length;
    fake.pushTextMessage({ fromId: 5151, firstName: 'Joko', text: 'halo?' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.getUpdatesCalls.length).toBe(polls);
    expect(fake.pendingUpdates()).toHaveLength(1);
  });
});
