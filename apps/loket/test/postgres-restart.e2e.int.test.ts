import { createPostgresTestDatabase, type Database, openDatabase } from '@loket/db';
import { type FakeTelegram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundLedger } from './inbound-ledger.ts';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';
import {
  type PrivatePostgres,
  privatePostgresUnavailable,
  startPrivatePostgres,
} from './private-postgres.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const UNAVAILABLE = privatePostgresUnavailable();
const CITIZENS = 20;
/** Load before, during and after the restart: updates pushed and replies posted per second. */
const INBOUND_PER_SECOND = 10;
const REPLIES_PER_SECOND = 8;
const LOAD_BEFORE_MS = 3000;
const DOWN_MS = 3000;
const LOAD_AFTER_MS = 5000;
const SEND_LATENCY_MS = 300;
/** Well under the delivery lease (2 min): a reply may not wait for a lease to run out. */
const SETTLE_TIMEOUT_MS = 30_000;

type ReplyAttempt = { text: string; ticketId: string; status: number | 'network error'; id?: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Issue 7: PostgreSQL restarts while citizens write in and officers' replies go out. Loket must come
 * back by itself, and nothing may vanish: every inbound update is stored once, and every reply the
 * API accepted ends sent (the fake Telegram got it) or visibly failed. A reply the API refused while
 * the database was down is the officer's to send again; that refusal is visible, not a loss.
 * The database is a private cluster: the shared server on 5432 serves other tests.
 */
describe.skipIf(UNAVAILABLE)(
  `reliability: a PostgreSQL restart under inbound and outbound load${UNAVAILABLE ? ` (skipped: ${UNAVAILABLE})` : ''}`,
  () => {
    let postgres: PrivatePostgres;
    let db: Database;
    let fake: FakeTelegram;
    let api: LoketProcess;
    let gateway: LoketProcess;
    let officerToken: string;

    beforeAll(async () => {
      postgres = await startPrivatePostgres();
      const database = await createPostgresTestDatabase(postgres.url);
      db = await openDatabase({ url: database.url });
      fake = await startFakeTelegram();
      // A real sendMessage takes a while: the restart then finds sends in flight, as it would in life.
      fake.setLatency('sendMessage', SEND_LATENCY_MS);
      const env = (role: string) => ({
        LOKET_ROLE: role,
        DATABASE_URL: database.url,
        LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
      });
      api = await startLoketProcess(env('api'));
      gateway = await startLoketProcess(env('gateway'), { serviceHoursAsConfigured: true });
      const officer = await api.api('POST', '/v1/admin/users', ADMIN_TOKEN, {
        name: 'Dewi',
        email: 'dewi@depok.go.id',
        role: 'officer',
      });
      expect(officer.status).toBe(201);
      officerToken = officer.body.token;
      expect(
        (await api.api('PATCH', '/v1/admin/channels/telegram', ADMIN_TOKEN, { enabled: true })).status,
      ).toBe(200);
    }, 120_000);
    afterAll(async () => {
      await gateway?.stop().catch(() => {});
      await api?.stop().catch(() => {});
      await db?.close();
      await fake?.close();
      await postgres?.close();
    });

    it('recovers by itself: every update stored once, every accepted reply sent or visibly failed', async () => {
      const ledger = new InboundLedger(fake, { citizens: CITIZENS, firstCitizenId: 91_000 });
      ledger.push(CITIZENS);
      await waitUntil(async () => (await ledger.storedCount(db.prisma)) === CITIZENS, {
        timeoutMs: 60_000,
        message: 'the first messages were not stored',
      });
      const tickets: string[] = (await api.api('GET', '/v1/tickets?limit=100', officerToken)).body.items.map(
        (t: JsonBody) => t.id,
      );
      expect(tickets).toHaveLength(CITIZENS);

      // Load: updates pushed and replies posted at a steady pace until told to stop.
      const attempts: ReplyAttempt[] = [];
      let loading = true;
      const inbound = (async () => {
        while (loading) {
          ledger.push(1);
          await sleep(1000 / INBOUND_PER_SECOND);
        }
      })();
      const outbound = (async () => {
        for (let n = 0; loading; n += 1) {
          const ticketId = tickets[n % tickets.length] as string;
          const attempt: ReplyAttempt = {
            text: `balasan petugas nomor ${n}`,
            ticketId,
            status: 'network error',
          };
          attempts.push(attempt);
          try {
            const reply = await api.api('POST', `/v1/tickets/${ticketId}/replies`, officerToken, {
              text: attempt.text,
            });
            attempt.status = reply.status;
            if (reply.status === 202) attempt.id = reply.body.id;
          } catch {
            // The API process itself did not answer: recorded as a network error, checked below.
          }
          await sleep(1000 / REPLIES_PER_SECOND);
        }
      })();

      await sleep(LOAD_BEFORE_MS);
      const storedBefore = await ledger.storedCount(db.prisma);
      const { downMs } = await postgres.restart({ downMs: DOWN_MS });
      const restartedAt = Date.now();
      await sleep(LOAD_AFTER_MS);
      loading = false;
      await Promise.all([inbound, outbound]);
      const stoppedPushingAt = Date.now();

      // Nobody restarts Loket: both processes must still be up and catch up on their own.
      await waitUntil(async () => (await ledger.storedCount(db.prisma)) >= ledger.size, {
        timeoutMs: 60_000,
        intervalMs: 200,
      }).catch(async () => {
        const stored = await ledger.storedCount(db.prisma);
        throw new Error(
          `${stored} of ${ledger.size} updates stored 60 s after the load; the server's log:\n${(await postgres.log()).slice(-4000)}`,
        );
      });
      const inboundCaughtUpMs = Date.now() - stoppedPushingAt;
      const settled = async () =>
        db.prisma.message.findMany({
          where: { direction: 'outbound', automated: false },
          select: { id: true, text: true, deliveryStatus: true, error: true },
        });
      const timesSent = (text: string) => fake.sent.filter((s) => s.text === text).length;
      await waitUntil(async () => (await settled()).every((m) => m.deliveryStatus !== 'queued'), {
        timeoutMs: SETTLE_TIMEOUT_MS,
        intervalMs: 250,
      }).catch(async () => {
        const stuck = (await settled()).filter((m) => m.deliveryStatus === 'queued');
        const described = stuck.map((m) => `${m.text} (on Telegram ${timesSent(m.text)}x)`).join('; ');
        throw new Error(
          `${stuck.length} replies still queued ${SETTLE_TIMEOUT_MS} ms after the load: ${described}`,
        );
      });
      const outboundSettledMs = Date.now() - stoppedPushingAt;
      expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);

      const inboundCheck = await ledger.check(db.prisma);
      const replies = await settled();
      const byText = new Map(replies.map((m) => [m.text, m]));
      const accepted = attempts.filter((a) => a.status === 202);
      const refused = attempts.filter((a) => a.status !== 202);
      const sentTwice = replies.filter((m) => timesSent(m.text) > 1).map((m) => m.text);
      console.log(
        `PostgreSQL restart (down ${downMs} ms) with ${storedBefore} updates stored before it: ` +
          `${ledger.size} updates, lost ${inboundCheck.lost.length}, duplicated ${inboundCheck.duplicated.length}, ` +
          `caught up ${inboundCaughtUpMs} ms after the load; ${attempts.length} replies posted, ` +
          `${accepted.length} accepted, ${refused.length} refused (${[...new Set(refused.map((a) => a.status))].join(', ')}), ` +
          `${replies.filter((m) => m.deliveryStatus === 'failed').length} failed, sent twice ${sentTwice.length}, ` +
          `all settled ${outboundSettledMs} ms after the load (restart ended ${stoppedPushingAt - restartedAt} ms before)`,
      );

      expect(inboundCheck.lost).toEqual([]);
      expect(inboundCheck.duplicated).toEqual([]);
      expect(inboundCheck.unexpected).toBe(0);
      // The load went on across the outage: the API refused replies while the database was down,
      // and accepted them again afterwards, without being restarted.
      expect(refused.length).toBeGreaterThan(0);
      // Refused as "come back shortly" (503 with Retry-After). A 500 here is a connection failure the
      // API did not recognise (seen once in about ten runs): its log line is printed to be classified.
      expect(refused.filter((a) => a.status === 503).length).toBeGreaterThan(0);
      if (refused.some((a) => a.status === 500))
        console.log(
          api
            .output()
            .split('\n')
            .filter((line) => line.includes('unexpected error'))
            .join('\n'),
        );
      expect(accepted.at(-1)).toBe(attempts.at(-1));
      // Every accepted reply is stored, and ended sent (and Telegram has it) or failed with a reason.
      for (const attempt of accepted) {
        const stored = byText.get(attempt.text);
        expect(stored?.id, attempt.text).toBe(attempt.id);
        if (stored?.deliveryStatus === 'failed') expect(stored.error, attempt.text).toBeTruthy();
        else expect(timesSent(attempt.text), attempt.text).toBeGreaterThanOrEqual(1);
      }
      // A reply whose request failed may still have been stored (the answer was lost, not the
      // write): then it is delivered like any other, never left half-done.
      for (const attempt of refused) {
        const stored = byText.get(attempt.text);
        if (stored && stored.deliveryStatus !== 'failed')
          expect(timesSent(attempt.text), attempt.text).toBeGreaterThanOrEqual(1);
      }
      // And none went out twice: a send whose record failed must not be sent again.
      expect(sentTwice).toEqual([]);
    }, 180_000);
  },
);
