import { createPostgresTestDatabase, type Database, dropPostgresTestDatabase, openDatabase } from '@loket/db';
import { type FakeTelegram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELIABILITY_ENV } from './env.ts';
import { InboundLedger } from './inbound-ledger.ts';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const SERVER_URL = RELIABILITY_ENV.DATABASE_URL;
const BURST = RELIABILITY_ENV.RELIABILITY_BURST;
/** Killed once this share of the burst is stored: well inside it, with a backlog still queued. */
const KILL_AT = 0.3;
/**
 * Time allowed per update. Each message is stored in its own transaction, in order: about 30/s on a
 * busy 2-core machine. Generous, so a slow machine fails only on a real stall.
 */
const MS_PER_UPDATE = 100;

/**
 * Issue 7: a gateway killed with SIGKILL in the middle of a burst of Telegram updates, then started
 * again, loses none and stores none twice. Telegram keeps every update until a getUpdates offset
 * confirms it, so what the dead gateway had stored but not yet confirmed comes again, and must be
 * recognised as a duplicate. Runs `loket start` on PostgreSQL (role all: the process that dies is the
 * gateway; a restarted `--role gateway` would only add the wait for its channel lease, which
 * split-processes.e2e.int.test.ts covers).
 */
describe.runIf(SERVER_URL)(`reliability: SIGKILL of the gateway during ${BURST} inbound updates`, () => {
  let fake: FakeTelegram;
  let database: { name: string; url: string };
  let db: Database;
  let loket: LoketProcess;
  const env = () => ({
    DATABASE_URL: database.url,
    LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
  });

  beforeAll(async () => {
    fake = await startFakeTelegram();
    database = await createPostgresTestDatabase(SERVER_URL ?? '');
    db = await openDatabase({ url: database.url });
    loket = await startLoketProcess(env());
    const enabled = await loket.api('PATCH', '/v1/admin/channels/telegram', ADMIN_TOKEN, { enabled: true });
    expect(enabled.status).toBe(200);
    await waitUntil(
      async () =>
        (await loket.api('GET', '/v1/admin/channels', ADMIN_TOKEN)).body.items.find(
          (c: JsonBody) => c.channel === 'telegram',
        )?.status === 'connected',
      { timeoutMs: 30_000, message: 'Telegram never connected to the fake Telegram' },
    );
  }, 120_000);
  afterAll(async () => {
    await loket?.stop().catch(() => {});
    await db?.close();
    await fake?.close();
    if (database && SERVER_URL) await dropPostgresTestDatabase(SERVER_URL, database.name);
  });

  it(
    'stores every update exactly once, compared by update_id',
    async () => {
      const ledger = new InboundLedger(fake, {
        citizens: Math.max(1, Math.ceil(BURST / 20)),
        firstCitizenId: 81_000,
      });
      const startedAt = Date.now();
      ledger.push(BURST);
      await waitUntil(async () => (await ledger.storedCount(db.prisma)) >= BURST * KILL_AT, {
        timeoutMs: 60_000 + BURST * KILL_AT * MS_PER_UPDATE,
        intervalMs: 25,
        message: 'the gateway did not store the first part of the burst',
      });
      await loket.kill('SIGKILL');
      const killedAt = Date.now();
      const storedAtKill = await ledger.storedCount(db.prisma);
      // Telegram still holds every update not stored, and the stored ones the offset has not passed yet:
      // those come again after the restart and must be recognised as duplicates.
      const storedNotConfirmed = fake.pendingUpdates().length - (BURST - storedAtKill);
      expect(storedAtKill).toBeLessThan(BURST);
      expect(storedNotConfirmed).toBeGreaterThanOrEqual(0);

      // Started again on the same data directory, as a service manager would.
      loket = await startLoketProcess(env(), { dataDir: loket.dataDir, serviceHoursAsConfigured: true });
      await waitUntil(async () => (await ledger.storedCount(db.prisma)) >= BURST, {
        timeoutMs: 60_000 + BURST * MS_PER_UPDATE,
        intervalMs: 200,
        message: 'the restarted gateway did not store the rest of the burst',
      });
      await waitUntil(() => fake.pendingUpdates().length === 0, { timeoutMs: 15_000 });
      const doneAt = Date.now();

      const result = await ledger.check(db.prisma);
      console.log(
        `gateway SIGKILL: ${BURST} updates, killed at ${storedAtKill} stored (${storedNotConfirmed} of them unconfirmed), ` +
          `all stored ${((doneAt - startedAt) / 1000).toFixed(1)} s after the burst, ` +
          `${((doneAt - killedAt) / 1000).toFixed(1)} s after the kill; ` +
          `lost ${result.lost.length}, duplicated ${result.duplicated.length}`,
      );
      expect(result.lost).toEqual([]);
      expect(result.duplicated).toEqual([]);
      expect(result.unexpected).toBe(0);
      expect(result.stored).toBe(BURST);
    },
    180_000 + BURST * 1.5 * MS_PER_UPDATE,
  );
});
