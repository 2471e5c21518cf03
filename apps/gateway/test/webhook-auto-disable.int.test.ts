// An endpoint that keeps failing is switched off after a while (3 days by default), as Stripe and
// GitHub do. The tests move the dispatcher's clock days ahead; real time keeps the backoff short.
import { type Clock, type Logger, silentLogger } from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase, testDatabaseKinds } from '@loket/db';
import { waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookDispatcher, type WebhookDispatcher } from '../src/webhook-dispatcher.ts';
import { eventIdsAfter as eventIdsAfterIn, newCitizenWrites } from './citizen-events.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The system clock, moved on by whatever the test skipped. */
function movableClock(): Clock & { skip(ms: number): void } {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    skip(ms) {
      offsetMs += ms;
    },
  };
}

/** A logger that keeps the messages of its warnings (the dispatcher's child logger included). */
function warningsLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const logger: Logger & { warnings: string[] } = {
    ...silentLogger,
    warnings,
    warn: (first: object | string, message?: string) => {
      warnings.push(typeof first === 'string' ? first : (message ?? ''));
    },
    child: () => logger,
  };
  return logger;
}

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('webhook auto-disable on %s', (kind) => {
  let db: TestDatabase;
  let repos: ReturnType<typeof createRepositories>;
  let dispatchers: WebhookDispatcher[];
  let receivers: WebhookReceiver[];
  let clock: ReturnType<typeof movableClock>;

  beforeEach(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
    dispatchers = [];
    receivers = [];
    clock = movableClock();
  });
  afterEach(async () => {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await Promise.all(receivers.map((r) => r.close()));
    await db.close();
  });

  const start = (options: { disableAfterMs?: number; logger?: Logger } = {}) => {
    const dispatcher = startWebhookDispatcher({
      events: repos.events,
      endpoints: repos.webhookEndpoints,
      clock,
      logger: options.logger ?? silentLogger,
      pollIntervalMs: 20,
      firstRetryMs: 20,
      maxRetryMs: 100,
      ...(options.disableAfterMs ? { disableAfterMs: options.disableAfterMs } : {}),
    });
    dispatchers.push(dispatcher);
    return dispatcher;
  };
  /** A receiver that answers 503 while `failing.now` is true, and 200 after. */
  const receiver = async (failing: { now: boolean }) => {
    const started = await startWebhookReceiver(() => (failing.now ? 503 : 200));
    receivers.push(started);
    return started;
  };
  const addEndpoint = async (url: string) =>
    repos.webhookEndpoints.create({
      url,
      secret: 'whsec_test-secret-for-the-receiver',
      events: [],
      description: null,
      lastEventId: await repos.events.latestId(),
    });
  const endpointState = async (id: string) => {
    const endpoint = await repos.webhookEndpoints.get(id);
    if (!endpoint) throw new Error('expected the endpoint');
    return endpoint;
  };
  const failuresReach = (id: string, failures: number) =>
    waitUntil(async () => (await endpointState(id)).failures >= failures);
  const disabledAudits = () => db.prisma.auditLog.findMany({ where: { action: 'webhook.disabled' } });
  const citizenWrites = () => newCitizenWrites(repos.inbox);
  const eventIdsAfter = (cursor: string) => eventIdsAfterIn(repos.events, cursor);

  it('switches an endpoint off once after 3 days of failures, with the reason, an audit entry and one warning', async () => {
    const hook = await receiver({ now: true });
    const endpoint = await addEndpoint(hook.url);
    await citizenWrites();
    const logger = warningsLogger();
    // Two gateways: only one of them may switch it off and write the audit entry.
    start({ logger });
    start({ logger });
    await failuresReach(endpoint.id, 1);
    const { failingSince } = await endpointState(endpoint.id);
    if (!failingSince) throw new Error('expected the time of the first failure');

    clock.skip(3 * DAY);
    await waitUntil(async () => !(await endpointState(endpoint.id)).active);
    const off = await endpointState(endpoint.id);
    expect(off).toMatchObject({ failingSince, lastEventId: endpoint.lastEventId, nextAttemptAt: null });
    expect(off.disabledReason).toMatch(/^no delivery for 3 days; last error: HTTP 503/);
    expect(off.disabledAt?.getTime()).toBeGreaterThanOrEqual(failingSince.getTime() + 3 * DAY);
    const audits = await disabledAudits();
    expect(audits).toMatchObject([{ actorId: null, target: `webhook:${endpoint.id}`, at: off.disabledAt }]);
    expect(audits[0]?.meta).toMatchObject({
      failingSince: failingSince.toISOString(),
      lastError: off.lastError,
    });

    // The dispatchers go on with other endpoints; the one switched off gets nothing more.
    const attempts = hook.deliveries.length;
    const healthy = await receiver({ now: false });
    const good = await addEndpoint(healthy.url);
    await citizenWrites();
    const expected = await eventIdsAfter(good.lastEventId);
    await waitUntil(() => healthy.deliveries.length === expected.length);
    expect(hook.deliveries).toHaveLength(attempts);
    expect(await disabledAudits()).toHaveLength(1);
    expect(logger.warnings.filter((message) => message.includes('switched off'))).toHaveLength(1);
  });

  it('keeps retrying an endpoint that has failed for less than the threshold', async () => {
    const hook = await receiver({ now: true });
    const endpoint = await addEndpoint(hook.url);
    await citizenWrites();
    start();
    await failuresReach(endpoint.id, 1);
    clock.skip(3 * DAY - MINUTE);
    const { failures } = await endpointState(endpoint.id);
    await failuresReach(endpoint.id, failures + 2);
    expect(await endpointState(endpoint.id)).toMatchObject({
      active: true,
      disabledAt: null,
      disabledReason: null,
    });
    expect(await disabledAudits()).toHaveLength(0);
    expect(new Set(hook.ids()).size).toBe(1);
  });

  it('starts the clock again after a delivery: only failing without a break counts', async () => {
    const failing = { now: true };
    const hook = await receiver(failing);
    const endpoint = await addEndpoint(hook.url);
    await citizenWrites();
    start();
    await failuresReach(endpoint.id, 1);
    const first = (await endpointState(endpoint.id)).failingSince;
    if (!first) throw new Error('expected the time of the first failure');

    clock.skip(2 * DAY);
    failing.now = false;
    const latest = await repos.events.latestId();
    await waitUntil(async () => (await endpointState(endpoint.id)).lastEventId === latest);
    expect(await endpointState(endpoint.id)).toMatchObject({ failingSince: null, failures: 0 });

    failing.now = true;
    await citizenWrites();
    await failuresReach(endpoint.id, 1);
    const second = (await endpointState(endpoint.id)).failingSince;
    expect(second?.getTime()).toBeGreaterThanOrEqual(first.getTime() + 2 * DAY);

    // Four days after the first failure, but only two of failing without a break.
    clock.skip(2 * DAY);
    const { failures } = await endpointState(endpoint.id);
    await failuresReach(endpoint.id, failures + 2);
    expect(await endpointState(endpoint.id)).toMatchObject({ active: true, failingSince: second });
    expect(await disabledAudits()).toHaveLength(0);
    expect(hook.deliveries.length).toBeGreaterThan(0);
  });

  it('switched back on, delivers what it missed while off, in order, from its cursor', async () => {
    const failing = { now: true };
    const hook = await receiver(failing);
    const endpoint = await addEndpoint(hook.url);
    await citizenWrites();
    // A shorter threshold than the default, as WEBHOOK_DISABLE_AFTER_MS can set.
    start({ disableAfterMs: 10 * MINUTE });
    await failuresReach(endpoint.id, 1);
    clock.skip(10 * MINUTE);
    await waitUntil(async () => !(await endpointState(endpoint.id)).active);
    expect((await endpointState(endpoint.id)).disabledReason).toMatch(/^no delivery for 10 min;/);

    // Events that happen while it is off wait for it.
    await citizenWrites();
    await citizenWrites();
    failing.now = false;
    const attempts = hook.deliveries.length;
    const on = await repos.webhookEndpoints.update(endpoint.id, { active: true });
    expect(on).toMatchObject({
      active: true,
      failures: 0,
      failingSince: null,
      disabledAt: null,
      disabledReason: null,
      lastEventId: endpoint.lastEventId,
    });
    const expected = await eventIdsAfter(endpoint.lastEventId);
    expect(expected).toHaveLength(9);
    await waitUntil(async () => (await endpointState(endpoint.id)).lastEventId === expected.at(-1));
    expect(hook.ids().slice(attempts)).toEqual(expected);
    expect(await endpointState(endpoint.id)).toMatchObject({ active: true, failures: 0, lastError: null });
  });
});
