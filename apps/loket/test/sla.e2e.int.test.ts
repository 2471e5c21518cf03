import { type FakeTelegram, startFakeTelegram, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoketProcess, startLoketProcess } from './loket-process.ts';

const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

describe('end to end: an unanswered ticket breaches its SLA, opens a pengaduan and tells the citizen', () => {
  let fake: FakeTelegram;
  let loket: LoketProcess;
  let officer: string;
  let supervisor: string;

  beforeAll(async () => {
    fake = await startFakeTelegram();
    loket = await startLoketProcess({
      LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      SLA_SWEEP_INTERVAL_MS: '300',
    });
    const addUser = async (role: string) =>
      (
        await loket.api('POST', '/v1/admin/users', ADMIN_TOKEN, {
          name: role,
          email: `${role}@depok.go.id`,
          role,
        })
      ).body.token;
    officer = await addUser('officer');
    supervisor = await addUser('supervisor');
    await loket.api('PATCH', '/v1/admin/settings', ADMIN_TOKEN, { sla: { firstResponse: 'PT3S' } });
    await loket.api('PATCH', '/v1/admin/channels/telegram', ADMIN_TOKEN, { enabled: true });
  }, 90_000);
  afterAll(async () => {
    await loket?.stop();
    await fake?.close();
  });

  it('goes breached after 3 s without a reply and opens a complaint the citizen hears about', async () => {
    fake.pushTextMessage({ fromId: 6060, firstName: 'Bu', lastName: 'Sri', text: 'mau tanya akta kematian' });
    await waitUntil(async () => (await loket.api('GET', '/v1/tickets', officer)).body.items.length === 1, {
      timeoutMs: 15_000,
    });
    const ticket = (await loket.api('GET', '/v1/tickets', officer)).body.items[0];
    expect(ticket.slaState).not.toBe('breached');
    await waitUntil(
      async () => (await loket.api('GET', '/v1/complaints', supervisor)).body.items.length === 1,
      {
        timeoutMs: 20_000,
        message: 'no complaint was opened',
      },
    );
    const [complaint] = (await loket.api('GET', '/v1/complaints', supervisor)).body.items;
    expect(complaint).toMatchObject({
      ticketId: ticket.id,
      reason: 'sla_breach',
      status: 'received',
      channel: 'telegram',
    });
    expect(complaint.number).toMatch(/^ADU-\d{4}-\d{6}$/);
    expect((await loket.api('GET', `/v1/tickets/${ticket.id}`, officer)).body.slaState).toBe('breached');
    await waitUntil(() => fake.sent.some((s) => s.text?.includes(complaint.number)), { timeoutMs: 15_000 });
    const audit = (await loket.api('GET', '/v1/admin/audit?limit=50', ADMIN_TOKEN)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(audit).toEqual(expect.arrayContaining(['sla.breached', 'complaint.created']));
  });

  it('lets a supervisor, not an officer, move the complaint, and tells the citizen', async () => {
    const [complaint] = (await loket.api('GET', '/v1/complaints', supervisor)).body.items;
    const byOfficer = await loket.api('PATCH', `/v1/complaints/${complaint.id}`, officer, {
      status: 'verified',
    });
    expect(byOfficer.status).toBe(403);
    const verified = await loket.api('PATCH', `/v1/complaints/${complaint.id}`, supervisor, {
      status: 'verified',
    });
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('verified');
    await waitUntil(
      () => fake.sent.some((s) => s.text?.includes(complaint.number) && s.text.includes('verifikasi')),
      {
        timeoutMs: 15_000,
      },
    );
    const skip = await loket.api('PATCH', `/v1/complaints/${complaint.id}`, supervisor, {
      status: 'received',
    });
    expect(skip.status).toBe(409);
  });
});
