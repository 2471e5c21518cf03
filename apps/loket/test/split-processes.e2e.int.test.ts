import { readFileSync } from 'node:fs';
import { createPostgresTestDatabase, dropPostgresTestDatabase } from '@loket/db';
import { type FakeTelegram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBody, type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';
const SERVER_URL = process.env.DATABASE_URL;
const BURST = 30;

/** The process group a pid belongs to (field 5 of /proc/<pid>/stat). */
function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/**
 * Two API processes and two gateways on one PostgreSQL, as a province would run Loket. The Telegram
 * bot is run by one gateway at a time (its lease); killing it with SIGKILL mid-burst hands the bot
 * to the other gateway, and every update is stored exactly once.
 */
describe.runIf(SERVER_URL)('end to end: 2 API processes and 2 gateways on PostgreSQL', () => {
  let fake: FakeTelegram;
  let database: { name: string; url: string };
  const apis: LoketProcess[] = [];
  const gateways: LoketProcess[] = [];

  beforeAll(async () => {
    fake = await startFakeTelegram();
    database = await createPostgresTestDatabase(SERVER_URL ?? '');
    const env = (role: string) => ({
      LOKET_ROLE: role,
      DATABASE_URL: database.url,
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
    });
    // The first API process migrates and opens the office around the clock; the others find it done.
    apis.push(await startLoketProcess(env('api')));
    apis.push(await startLoketProcess(env('api'), { serviceHoursAsConfigured: true }));
    gateways.push(await startLoketProcess(env('gateway'), { serviceHoursAsConfigured: true }));
    gateways.push(await startLoketProcess(env('gateway'), { serviceHoursAsConfigured: true }));
  }, 180_000);
  afterAll(async () => {
    for (const process of [...apis, ...gateways]) await process.stop().catch(() => {});
    await fake?.close();
    if (database && SERVER_URL) await dropPostgresTestDatabase(SERVER_URL, database.name);
  });

  const [first, second] = [() => apis[0] as LoketProcess, () => apis[1] as LoketProcess];
  const telegramView = async (api: LoketProcess) =>
    (await api.api('GET', '/v1/admin/channels', ADMIN_TOKEN)).body.items.find(
      (c: JsonBody) => c.channel === 'telegram',
    );
  const allTickets = async (api: LoketProcess): Promise<JsonBody[]> => {
    const items: JsonBody[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.api(
        'GET',
        `/v1/tickets?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        ADMIN_TOKEN,
      );
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  };
  const push = (from: number, count: number) => {
    for (let i = from; i < from + count; i += 1) {
      fake.pushTextMessage({ fromId: 70_000 + i, firstName: `Warga ${i}`, text: `mau urus KK nomor ${i}` });
    }
  };

  it('serves the API from either API process, and only the API: gateways serve health and webhooks', async () => {
    expect((await first().api('GET', '/v1/tickets', ADMIN_TOKEN)).status).toBe(200);
    expect((await second().api('GET', '/v1/tickets', ADMIN_TOKEN)).status).toBe(200);
    const gateway = gateways[0] as LoketProcess;
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await gateway.api('GET', '/v1/tickets', ADMIN_TOKEN)).status).toBe(404);
  });

  it('runs the bot on exactly one gateway once an admin enables it through an API process', async () => {
    expect(
      (await first().api('PATCH', '/v1/admin/channels/telegram', ADMIN_TOKEN, { enabled: true })).status,
    ).toBe(200);
    await waitUntil(async () => (await telegramView(second())).status === 'connected', { timeoutMs: 30_000 });
    const owner = (await telegramView(second())).runningOn as string;
    const ownerGroup = processGroupOf(Number(owner.split(':').at(-1)));
    expect(gateways.map((g) => g.pid)).toContain(ownerGroup);
    push(0, BURST);
    await waitUntil(async () => (await allTickets(second())).length === BURST, { timeoutMs: 60_000 });
  }, 90_000);

  it('hands the bot to the other gateway when its runner is killed mid-burst, losing and doubling nothing', async () => {
    const owner = (await telegramView(first())).runningOn as string;
    const victim = gateways.find(
      (g) => g.pid === processGroupOf(Number(owner.split(':').at(-1))),
    ) as LoketProcess;
    const survivor = gateways.find((g) => g !== victim) as LoketProcess;
    push(BURST, BURST);
    await victim.kill('SIGKILL');
    const killedAt = Date.now();
    push(2 * BURST, BURST);
    await waitUntil(
      async () => {
        const view = await telegramView(first());
        return Boolean(view.runningOn) && view.runningOn !== owner;
      },
      { timeoutMs: 45_000 },
    );
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    console.log(`takeover after SIGKILL: ${takeoverSeconds.toFixed(1)} s (lease 15 s)`);
    expect(takeoverSeconds).toBeLessThan(30);
    expect(processGroupOf(Number((await telegramView(first())).runningOn.split(':').at(-1)))).toBe(
      survivor.pid,
    );

    await waitUntil(async () => (await allTickets(first())).length >= 3 * BURST, { timeoutMs: 60_000 });
    const tickets = await allTickets(second());
    expect(tickets).toHaveLength(3 * BURST);
    const names = new Set(tickets.map((t) => t.contact.displayName));
    expect(names.size).toBe(3 * BURST);
    for (const ticket of tickets.slice(0, 10)) {
      const messages = (await first().api('GET', `/v1/tickets/${ticket.id}/messages`, ADMIN_TOKEN)).body
        .items;
      expect(messages.filter((m: JsonBody) => m.direction === 'inbound')).toHaveLength(1);
    }
    // Every citizen got their acknowledgement (a send cut short by the kill may have gone twice).
    await waitUntil(
      () =>
        new Set(fake.sent.filter((s) => s.text?.includes('DPK-')).map((s) => s.chatId)).size === 3 * BURST,
      { timeoutMs: 60_000 },
    );
  }, 180_000);
});
