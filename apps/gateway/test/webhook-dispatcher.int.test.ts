import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type EventType, silentLogger, systemClock } from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase, testDatabaseKinds } from '@loket/db';
import { freePort, waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGateway } from '../src/index.ts';
import { startWebhookDispatcher, type WebhookDispatcher } from '../src/webhook-dispatcher.ts';
import { ALWAYS_OPEN, eventIdsAfter as eventIdsAfterIn, newCitizenWrites } from './citizen-events.ts';
import { type Answer, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const SECRET = 'whsec_test-secret-for-the-receiver';

/** The receiver's side of the README recipe: recompute the MAC over "<t>.<raw body>", check t is recent. */
function verifySignature(secret: string, rawBody: string, header: string, toleranceSeconds = 300): boolean {
  const fields = new Map(header.split(',').map((part) => part.split('=', 2) as [string, string]));
  const t = Number(fields.get('t'));
  const v1 = fields.get('v1') ?? '';
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  const given = Buffer.from(v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('webhook dispatcher on %s', (kind) => {
  let db: TestDatabase;
  let repos: ReturnType<typeof createRepositories>;
  let dispatchers: WebhookDispatcher[];
  let receivers: WebhookReceiver[];

  beforeEach(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
    dispatchers = [];
    receivers = [];
  });
  afterEach(async () => {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await Promise.all(receivers.map((r) => r.close()));
    await db.close();
  });

  const start = (overrides: { timeoutMs?: number } = {}) => {
    const dispatcher = startWebhookDispatcher({
      events: repos.events,
      endpoints: repos.webhookEndpoints,
      clock: systemClock,
      logger: silentLogger,
      pollIntervalMs: 20,
      firstRetryMs: 20,
      maxRetryMs: 100,
      ...overrides,
    });
    dispatchers.push(dispatcher);
    return dispatcher;
  };
  const receiver = async (answer?: Answer) => {
    const started = await startWebhookReceiver(answer);
    receivers.push(started);
    return started;
  };
  const addEndpoint = async (url: string, options: { events?: EventType[]; secret?: string } = {}) =>
    repos.webhookEndpoints.create({
      url,
      secret: options.secret ?? SECRET,
      events: options.events ?? [],
      description: null,
      lastEventId: await repos.events.latestId(),
    });
  const citizenWrites = () => newCitizenWrites(repos.inbox);
  const eventIdsAfter = (cursor: string) => eventIdsAfterIn(repos.events, cursor);

  it('signs each delivery so the receiver can check it, with the documented headers and body', async () => {
    const hook = await receiver();
    await addEndpoint(hook.url);
    await citizenWrites();
    start();
    await waitUntil(() => hook.deliveries.length === 3);
    const [first] = hook.deliveries;
    if (!first) throw new Error('expected a delivery');
    expect(first.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Loket-Webhooks/1',
      'x-loket-event': 'ticket.created',
      'x-loket-delivery': first.body.id,
    });
    expect(JSON.parse(first.rawBody)).toMatchObject({
      id: first.body.id,
      type: 'ticket.created',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      ticketId: expect.any(String),
      payload: { ticket: { channel: 'telegram', status: 'open' } },
    });
    for (const delivery of hook.deliveries) {
      const signature = String(delivery.headers['x-loket-signature']);
      expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(verifySignature(SECRET, delivery.rawBody, signature)).toBe(true);
      expect(verifySignature('whsec_another', delivery.rawBody, signature)).toBe(false);
      expect(verifySignature(SECRET, delivery.rawBody.replace('telegram', 'whatsapp'), signature)).toBe(
        false,
      );
    }
  });

  it('delivers every event in order and moves the cursor to the newest', async () => {
    const hook = await receiver();
    const endpoint = await addEndpoint(hook.url);
    start();
    for (let i = 0; i < 4; i += 1) await citizenWrites();
    const expected = await eventIdsAfter(endpoint.lastEventId);
    expect(expected).toHaveLength(12);
    await waitUntil(() => hook.deliveries.length >= 12);
    expect(hook.ids()).toEqual(expected);
    await waitUntil(
      async () => (await repos.webhookEndpoints.get(endpoint.id))?.lastEventId === expected.at(-1),
    );
    expect(await repos.webhookEndpoints.get(endpoint.id)).toMatchObject({ failures: 0, lastError: null });
  });

  it('retries a failed event until the receiver takes it (the same X-Loket-Delivery again), then goes on', async () => {
    const hook = await receiver((n) => (n <= 2 ? 500 : 200));
    const endpoint = await addEndpoint(hook.url);
    await citizenWrites();
    const expected = await eventIdsAfter(endpoint.lastEventId);
    start();
    await waitUntil(() => hook.deliveries.length >= 5);
    const [first] = expected;
    expect(hook.ids()).toEqual([first, first, ...expected]);
    expect(hook.deliveries.slice(0, 3).map((d) => d.headers['x-loket-delivery'])).toEqual([
      first,
      first,
      first,
    ]);
    await waitUntil(
      async () => (await repos.webhookEndpoints.get(endpoint.id))?.lastEventId === expected.at(-1),
    );
    expect(await repos.webhookEndpoints.get(endpoint.id)).toMatchObject({ failures: 0, lastError: null });
  });

  it('records the failure and backs off: status, failures and the next attempt', async () => {
    const hook = await receiver(() => 503);
    const endpoint = await addEndpoint(hook.url);
    await citizenWrites();
    start();
    await waitUntil(async () => ((await repos.webhookEndpoints.get(endpoint.id))?.failures ?? 0) >= 2);
    const state = await repos.webhookEndpoints.get(endpoint.id);
    expect(state).toMatchObject({ lastEventId: endpoint.lastEventId, lastDeliveredAt: null });
    expect(state?.lastError).toMatch(/^HTTP 503/);
    expect(state?.lastError).not.toContain('ticket');
    expect(state?.nextAttemptAt).toBeInstanceOf(Date);
    expect(new Set(hook.ids()).size).toBe(1);
  });

  it('sends only the event types an endpoint asked for, and moves past the others', async () => {
    const hook = await receiver();
    const endpoint = await addEndpoint(hook.url, { events: ['ticket.created'] });
    start();
    await citizenWrites();
    await citizenWrites();
    await waitUntil(() => hook.deliveries.length === 2);
    expect(hook.deliveries.map((d) => d.body.type)).toEqual(['ticket.created', 'ticket.created']);
    const latest = await repos.events.latestId();
    await waitUntil(async () => (await repos.webhookEndpoints.get(endpoint.id))?.lastEventId === latest);
    expect(hook.deliveries).toHaveLength(2);
  });

  it('keeps delivering to a healthy endpoint while one refuses connections and one never answers', async () => {
    const healthy = await receiver();
    const hanging = await receiver(() => 'hang');
    const dead = await addEndpoint(`http://127.0.0.1:${await freePort()}/hook`);
    const stuck = await addEndpoint(hanging.url);
    const good = await addEndpoint(healthy.url);
    start();
    for (let i = 0; i < 3; i += 1) await citizenWrites();
    const expected = await eventIdsAfter(good.lastEventId);
    await waitUntil(() => healthy.deliveries.length === expected.length, { timeoutMs: 8000 });
    expect(healthy.ids()).toEqual(expected);
    await waitUntil(async () => ((await repos.webhookEndpoints.get(dead.id))?.failures ?? 0) >= 1);
    expect((await repos.webhookEndpoints.get(dead.id))?.lastError).toMatch(/ECONNREFUSED/);
    // The hanging endpoint got its first event and is still waiting for an answer.
    expect(hanging.deliveries).toHaveLength(1);
    expect(await repos.webhookEndpoints.get(stuck.id)).toMatchObject({ lastDeliveredAt: null });
  });

  it('gives up on an answer after the timeout and backs off', async () => {
    const hanging = await receiver(() => 'hang');
    const endpoint = await addEndpoint(hanging.url);
    await citizenWrites();
    start({ timeoutMs: 100 });
    await waitUntil(async () => ((await repos.webhookEndpoints.get(endpoint.id))?.failures ?? 0) >= 1);
    expect((await repos.webhookEndpoints.get(endpoint.id))?.lastError).toBe('no answer within 0.1 s');
  });

  it('does not follow redirects', async () => {
    const moved = await receiver(() => 302);
    const endpoint = await addEndpoint(moved.url);
    await citizenWrites();
    start();
    await waitUntil(async () => ((await repos.webhookEndpoints.get(endpoint.id))?.failures ?? 0) >= 1);
    expect((await repos.webhookEndpoints.get(endpoint.id))?.lastError).toMatch(/^HTTP 302.*redirects/);
  });

  it('sends nothing to a disabled endpoint, and only what came after it to a new one', async () => {
    const disabled = await receiver();
    const healthy = await receiver();
    const off = await addEndpoint(disabled.url);
    await repos.webhookEndpoints.update(off.id, { active: false });
    await citizenWrites();
    const good = await addEndpoint(healthy.url);
    start();
    await citizenWrites();
    const expected = await eventIdsAfter(good.lastEventId);
    expect(expected).toHaveLength(3);
    await waitUntil(() => healthy.deliveries.length === 3);
    expect(healthy.ids()).toEqual(expected);
    expect(disabled.deliveries).toHaveLength(0);
    expect((await repos.webhookEndpoints.get(off.id))?.lastEventId).toBe(off.lastEventId);
  });

  it('runs inside the gateway when it is given the event log and the endpoints', async () => {
    const hook = await receiver();
    const endpoint = await addEndpoint(hook.url);
    const mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-media-'));
    const gateway = await startGateway({
      jobs: await db.jobRunner(),
      store: repos.inbox,
      deliveryQueue: repos.deliveryQueue,
      channelSettings: repos.channelSettings,
      policy: { current: async () => ALWAYS_OPEN },
      clock: systemClock,
      logger: silentLogger,
      factories: {},
      mediaDir,
      webhooks: { events: repos.events, endpoints: repos.webhookEndpoints, pollIntervalMs: 20 },
    });
    try {
      await citizenWrites();
      await waitUntil(() => hook.deliveries.length === 3);
      expect(hook.ids()).toEqual(await eventIdsAfter(endpoint.lastEventId));
    } finally {
      await gateway.stop();
      await rm(mediaDir, { recursive: true, force: true });
    }
  });

  it('with two gateways running, still delivers each event once to a healthy endpoint', async () => {
    const hook = await receiver();
    const endpoint = await addEndpoint(hook.url);
    start();
    start();
    for (let i = 0; i < 3; i += 1) await citizenWrites();
    const expected = await eventIdsAfter(endpoint.lastEventId);
    await waitUntil(
      async () => (await repos.webhookEndpoints.get(endpoint.id))?.lastEventId === expected.at(-1),
    );
    expect(hook.ids()).toEqual(expected);
  });
});
