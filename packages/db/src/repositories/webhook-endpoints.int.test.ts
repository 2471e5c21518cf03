import type { WebhookEndpointStore } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createWebhookEndpointStore } from './webhook-endpoints.ts';

const NOW = new Date('2026-03-02T02:00:00Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('webhook endpoints on %s', (kind) => {
  let db: TestDatabase;
  let store: WebhookEndpointStore;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    store = createWebhookEndpointStore(db.prisma);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  const create = (overrides: { lastEventId?: string; events?: ('ticket.created' | 'sla.breached')[] } = {}) =>
    store.create({
      url: 'https://receiver.example/hook',
      secret: 'whsec_one',
      events: overrides.events ?? [],
      description: null,
      lastEventId: overrides.lastEventId ?? '10',
    });

  it('creates, lists, edits and deletes, never handing out the secret in a view', async () => {
    const endpoint = await create({ events: ['sla.breached'] });
    expect(endpoint).toMatchObject({
      events: ['sla.breached'],
      active: true,
      lastEventId: '10',
      failures: 0,
    });
    expect(JSON.stringify(await store.list())).not.toContain('whsec_');
    const edited = await store.update(endpoint.id, { description: 'SIAK', events: [] });
    expect(edited).toMatchObject({ description: 'SIAK', events: [] });
    expect(await store.update('no-such-id', { active: false })).toBeNull();
    expect(await store.delete(endpoint.id)).toBe(true);
    expect(await store.delete(endpoint.id)).toBe(false);
    expect(await store.get(endpoint.id)).toBeNull();
  });

  it('lets only one of two claims take a turn, and lists an endpoint as due only when it is behind', async () => {
    const endpoint = await create();
    expect(await store.listDue(NOW, '10')).toEqual([]);
    expect(await store.listDue(NOW, '11')).toEqual([endpoint.id]);
    const [first, second] = await Promise.all([
      store.claim(endpoint.id, NOW, later(30_000)),
      store.claim(endpoint.id, NOW, later(30_001)),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(first ?? second).toMatchObject({ secret: 'whsec_one', lastEventId: '10' });
    expect(await store.listDue(NOW, '11')).toEqual([]);
    // Once the lease runs out (a gateway died mid-turn), another may take it.
    expect(await store.claim(endpoint.id, later(30_001), later(60_000))).not.toBeNull();
  });

  it('moves the cursor while the turn holds its lease, and records a delivery', async () => {
    const endpoint = await create();
    const turn = await store.claim(endpoint.id, NOW, later(30_000));
    if (!turn) throw new Error('expected a turn');
    const next = await store.advance(turn, {
      lastEventId: '12',
      leaseUntil: later(40_000),
      deliveredAt: NOW,
    });
    expect(next).toMatchObject({ lastEventId: '12', lease: later(40_000) });
    // The old lease value no longer fences anything: a stale turn writes nothing.
    expect(await store.advance(turn, { lastEventId: '13', leaseUntil: later(50_000) })).toBeNull();
    if (!next) throw new Error('expected the turn to go on');
    await store.release(next, '14');
    expect(await store.get(endpoint.id)).toMatchObject({
      lastEventId: '14',
      nextAttemptAt: null,
      lastDeliveredAt: NOW,
    });
  });

  it('stops a turn once the endpoint is switched off or its secret rotated', async () => {
    const endpoint = await create();
    const turn = await store.claim(endpoint.id, NOW, later(30_000));
    if (!turn) throw new Error('expected a turn');
    await store.setSecret(endpoint.id, 'whsec_two');
    expect(await store.advance(turn, { lastEventId: '11', leaseUntil: later(40_000) })).toBeNull();
    // The cursor of what was done can still be saved when the turn ends.
    await store.release(turn, '11');
    expect(await store.get(endpoint.id)).toMatchObject({ lastEventId: '11', nextAttemptAt: null });

    const again = await store.claim(endpoint.id, NOW, later(30_000));
    if (!again) throw new Error('expected a turn');
    await store.update(endpoint.id, { active: false });
    expect(await store.advance(again, { lastEventId: '12', leaseUntil: later(40_000) })).toBeNull();
    expect(await store.claim(endpoint.id, later(60_000), later(90_000))).toBeNull();
    expect(await store.listDue(later(60_000), '99')).toEqual([]);
  });

  it('backs off after a failure, and switching the endpoint back on ends the backoff', async () => {
    const endpoint = await create();
    const turn = await store.claim(endpoint.id, NOW, later(30_000));
    if (!turn) throw new Error('expected a turn');
    await store.recordFailure(turn, {
      lastEventId: '10',
      error: 'HTTP 503 Service Unavailable',
      retryAt: later(5_000),
      failedAt: NOW,
    });
    expect(await store.get(endpoint.id)).toMatchObject({
      failures: 1,
      nextAttemptAt: later(5_000),
      lastError: 'HTTP 503 Service Unavailable',
      lastEventId: '10',
      failingSince: NOW,
    });
    expect(await store.claim(endpoint.id, later(4_999), later(40_000))).toBeNull();
    // A second failure keeps the time of the first.
    const again = await store.claim(endpoint.id, later(5_000), later(40_000));
    if (!again) throw new Error('expected a turn');
    expect(again.failingSince).toEqual(NOW);
    await store.recordFailure(again, {
      lastEventId: '10',
      error: 'HTTP 502',
      retryAt: later(50_000),
      failedAt: later(5_000),
    });
    expect(await store.get(endpoint.id)).toMatchObject({ failures: 2, failingSince: NOW });
    await store.update(endpoint.id, { active: false });
    await store.update(endpoint.id, { active: true });
    expect(await store.get(endpoint.id)).toMatchObject({
      failures: 0,
      nextAttemptAt: null,
      failingSince: null,
    });
    expect(await store.claim(endpoint.id, NOW, later(30_000))).not.toBeNull();
  });

  it('switches an endpoint off once, with its audit entry, and clears that when it is switched back on', async () => {
    const endpoint = await create();
    const turn = await store.claim(endpoint.id, NOW, later(30_000));
    if (!turn) throw new Error('expected a turn');
    const disabledAt = later(1_000);
    const failure = {
      lastEventId: '10',
      error: 'HTTP 503',
      reason: 'no delivery for 3 days; last error: HTTP 503',
      audit: { actorId: null, action: 'webhook.disabled', target: `webhook:${endpoint.id}`, at: disabledAt },
    };
    expect(await store.disable(turn, failure)).toBe(true);
    // The same turn again (another gateway's stale view) writes nothing, not even a second audit row.
    expect(await store.disable(turn, failure)).toBe(false);
    expect(await store.get(endpoint.id)).toMatchObject({
      active: false,
      disabledAt,
      disabledReason: failure.reason,
      failingSince: disabledAt,
      failures: 1,
      lastError: 'HTTP 503',
      nextAttemptAt: null,
    });
    const audit = await db.prisma.auditLog.findMany({ where: { action: 'webhook.disabled' } });
    expect(audit).toMatchObject([{ actorId: null, target: `webhook:${endpoint.id}`, at: disabledAt }]);
    expect(await store.listDue(later(60_000), '99')).toEqual([]);
    // Switched off by an admin, it stays as Loket left it; switched back on, it starts afresh.
    expect(await store.update(endpoint.id, { description: 'SIAK' })).toMatchObject({ disabledAt });
    expect(await store.update(endpoint.id, { active: true })).toMatchObject({
      active: true,
      disabledAt: null,
      disabledReason: null,
      failingSince: null,
      failures: 0,
      lastEventId: '10',
    });
    expect(await store.listDue(later(60_000), '99')).toEqual([endpoint.id]);
  });
});
