import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

describe.each(databaseKinds())('channel control on %s', (kind) => {
  let h: Harness;
  let asAdmin: { token: string };
  beforeAll(async () => {
    h = await createHarness(kind);
    asAdmin = { token: h.tokens.admin };
  });
  afterAll(() => h?.close());

  const telegram = async () =>
    (await (await h.request('GET', '/v1/admin/channels', asAdmin)).json()).items.find(
      (c: { channel: string }) => c.channel === 'telegram',
    );

  it('shows since when a channel is connected, its last error, and the last hour’s traffic', async () => {
    await h.repos.channelSettings.setStatus('telegram', 'disconnected', 'getUpdates failed: socket hang up');
    await h.repos.channelSettings.setStatus('telegram', 'connected', '@loket_bot');
    const { ticketId } = await h.receive({ externalUserId: 'ch1', externalThreadId: 'ch1' });
    await h.request('POST', `/v1/tickets/${ticketId}/replies`, { body: { text: 'Baik' } });
    const view = await telegram();
    expect(view).toMatchObject({
      status: 'connected',
      detail: '@loket_bot',
      lastError: 'disconnected: getUpdates failed: socket hang up',
      lastHour: { inbound: 1, sent: 0, failed: 0 },
    });
    expect(view.lastHour.queued).toBeGreaterThanOrEqual(2); // the acknowledgement and the reply
    expect(Date.parse(view.connectedSince)).toBeGreaterThan(Date.now() - 60_000);
    await h.repos.channelSettings.setStatus('telegram', 'connected', '@loket_bot');
    expect((await telegram()).connectedSince).toBe(view.connectedSince); // unchanged while it holds
  });

  it('saves runtime settings that are not secrets, and refuses unknown or out-of-range ones', async () => {
    const saved = await h.request('PATCH', '/v1/admin/channels/telegram', {
      ...asAdmin,
      body: { config: { pollTimeoutSeconds: 10 } },
    });
    expect(saved.status).toBe(200);
    expect((await saved.json()).config).toEqual({ pollTimeoutSeconds: 10 });
    for (const config of [{ token: '123:ABC' }, { pollTimeoutSeconds: 99 }]) {
      const refused = await h.request('PATCH', '/v1/admin/channels/telegram', {
        ...asAdmin,
        body: { config },
      });
      expect(refused.status, JSON.stringify(config)).toBe(400);
      expect((await refused.json()).error.issues[0].path).toMatch(/^config/);
    }
    expect((await h.request('PATCH', '/v1/admin/channels/telegram', { ...asAdmin, body: {} })).status).toBe(
      400,
    );
    const audit = await (await h.request('GET', '/v1/admin/audit?limit=5', asAdmin)).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toContain('channel.configure');
  });

  it('answers 503 CHANNEL_DISABLED to a reply while the channel is off, and keeps what was queued', async () => {
    const { ticketId } = await h.receive({ externalUserId: 'ch2', externalThreadId: 'ch2' });
    const queued = await h.request('POST', `/v1/tickets/${ticketId}/replies`, { body: { text: 'Sebelum' } });
    expect(queued.status).toBe(202);
    await h.request('PATCH', '/v1/admin/channels/telegram', { ...asAdmin, body: { enabled: false } });
    const refused = await h.request('POST', `/v1/tickets/${ticketId}/replies`, { body: { text: 'Sesudah' } });
    expect(refused.status).toBe(503);
    const { error } = await refused.json();
    expect(error.code).toBe('CHANNEL_DISABLED');
    expect(error.message).toContain('telegram is switched off');
    const messages = await (await h.request('GET', `/v1/tickets/${ticketId}/messages`)).json();
    expect(messages.items.find((m: { text: string }) => m.text === 'Sebelum')).toMatchObject({
      deliveryStatus: 'queued',
    });
    expect(messages.items.some((m: { text: string }) => m.text === 'Sesudah')).toBe(false);
    await h.request('PATCH', '/v1/admin/channels/telegram', { ...asAdmin, body: { enabled: true } });
    expect(
      (await h.request('POST', `/v1/tickets/${ticketId}/replies`, { body: { text: 'Lagi' } })).status,
    ).toBe(202);
  });
});
