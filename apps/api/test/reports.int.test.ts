import {
  type ChannelName,
  complaintContextFor,
  DEFAULT_OFFICE_POLICY,
  type InboundMessage,
  mergeOfficePolicy,
  receiveMessage,
  replyToTicket,
  sweepSla,
} from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
// The report is asked for on Monday 30 March 2026; the tickets are from the week of 2-8 March (WIB).
const NOW = at('2026-03-30T03:00:00Z');
// Open around the clock, so each deadline is exactly 72 h after the ticket was opened.
const POLICY = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
  serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' },
});

describe.each(databaseKinds())('reports API on %s', (kind) => {
  let h: Harness;

  const open = async (
    receivedAt: Date,
    channel: ChannelName,
    user: string,
    extra: Partial<InboundMessage>,
  ) => {
    const result = await receiveMessage({
      store: h.repos.inbox,
      clock: { now: () => receivedAt },
      policy: POLICY,
      message: {
        channel,
        externalMessageId: `${user}:1`,
        externalUserId: user,
        externalThreadId: user,
        displayName: `Warga ${user}`,
        sentAt: receivedAt,
        text: 'halo',
        ...extra,
        attachments: [],
      },
    });
    if (result.outcome !== 'stored') throw new Error('expected stored');
    return result.ticket;
  };

  /** An officer's reply, sent at `sentAt`: the ticket's first response. */
  const answer = async (ticketId: string, channel: ChannelName, sentAt: Date) => {
    await replyToTicket({
      store: h.repos.inbox,
      clock: { now: () => sentAt },
      ticketId,
      authorId: h.userIds.officer,
      text: 'Baik, kami bantu.',
    });
    const tasks = await h.repos.deliveryQueue.claimDue({ limit: 50, channels: [channel] });
    for (const task of tasks) await h.repos.deliveryQueue.markSent(task, { externalId: task.jobId, sentAt });
  };

  beforeAll(async () => {
    h = await createHarness(kind, { clock: { now: () => NOW } });
    // Monday 09:00, from the Kukusan banner's Telegram link; answered after 1 h.
    const a = await open(at('2026-03-02T02:00:00Z'), 'telegram', 'a', {
      text: '/start',
      referralCode: 'beji--kukusan',
    });
    await answer(a.id, 'telegram', at('2026-03-02T03:00:00Z'));
    // Monday 10:00, the Gandul banner's prefilled WhatsApp text with a question typed after it; answered after 3 h.
    const b = await open(at('2026-03-02T03:00:00Z'), 'whatsapp', 'b', {
      text: 'Halo Disdukcapil Kota Depok, saya mau bertanya. (Kode: cinere--gandul) syarat kartu keluarga apa?',
    });
    await answer(b.id, 'whatsapp', at('2026-03-02T06:00:00Z'));
    // Wednesday 20:00 with an unknown ref: breached on Saturday (a complaint opens), answered on Sunday.
    const c = await open(at('2026-03-04T13:00:00Z'), 'instagram-graph', 'c', {
      text: 'mau tanya akta kelahiran',
      referralCode: 'KEL-UNKNOWN',
    });
    const breachAt = at('2026-03-07T14:00:00Z');
    await sweepSla({
      store: h.repos.inbox,
      clock: { now: () => breachAt },
      context: complaintContextFor(POLICY, breachAt),
    });
    await answer(c.id, 'instagram-graph', at('2026-03-08T01:00:00Z'));
    // Sunday 23:30, never answered; and Monday 00:00, just after the range.
    await open(at('2026-03-08T16:30:00Z'), 'telegram', 'd', { text: 'halo' });
    await open(at('2026-03-08T17:00:00Z'), 'telegram', 'e', { text: 'halo' });
  });
  afterAll(() => h.close());

  const summary = (
    query: string,
    role: 'supervisor' | 'admin' = 'supervisor',
    headers?: Record<string, string>,
  ) => h.request('GET', `/v1/reports/summary${query}`, { token: h.tokens[role], headers });

  it('reports the week: volume, sources, SLA, first response, complaints and busiest hours', async () => {
    const response = await summary('?from=2026-03-02&to=2026-03-08');
    expect(response.status).toBe(200);
    const report = await response.json();
    expect(report.range).toEqual({
      from: '2026-03-01T17:00:00.000Z',
      to: '2026-03-08T17:00:00.000Z',
      timezone: 'Asia/Jakarta',
    });
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(report.tickets.total).toBe(4);
    expect(report.tickets.byChannel).toEqual([
      { channel: 'telegram', count: 2 },
      { channel: 'whatsapp', count: 1 },
      { channel: 'instagram', count: 0 },
      { channel: 'whatsapp-cloud', count: 0 },
      { channel: 'instagram-graph', count: 1 },
    ]);
    const services = Object.fromEntries(
      report.tickets.byService
        .filter((s: { count: number }) => s.count)
        .map((s: { service: string; count: number }) => [s.service, s.count]),
    );
    expect(services).toEqual({ KK: 1, AKTA_KELAHIRAN: 1, LAINNYA: 2 });

    const sources = report.tickets.bySource;
    expect(sources).toHaveLength(64);
    expect(sources.filter((s: { count: number }) => s.count)).toEqual([
      { code: 'beji--kukusan', kelurahan: 'Kukusan', kecamatan: 'Beji', count: 1 },
      { code: 'cinere--gandul', kelurahan: 'Gandul', kecamatan: 'Cinere', count: 1 },
      // The unknown ref and the ticket without any code.
      { code: 'unknown', kelurahan: null, kecamatan: null, count: 2 },
    ]);

    expect(report.sla).toEqual({ met: 2, breached: 1, openWithin: 0, openBreached: 1, complianceRate: 0.5 });
    // Answered after 1 h, 3 h and 84 h: the median is 3 h; p90 lies 80% of the way from 3 h to 84 h.
    expect(report.firstResponse).toEqual({
      measuredFrom: 'ticket_created',
      answered: 3,
      medianSeconds: 10_800,
      p90Seconds: 10_800 + 0.8 * (302_400 - 10_800),
    });
    // The breach's complaint, opened on Saturday and still in its first stage three weeks later.
    expect(report.complaints).toEqual({ opened: 1, resolved: 0, rejected: 0, overdue: 1 });

    const hours = report.busiest.byHour.filter((e: { count: number }) => e.count);
    expect(hours).toEqual([
      { hour: 9, count: 1 },
      { hour: 10, count: 1 },
      { hour: 20, count: 1 },
      { hour: 23, count: 1 },
    ]);
    expect(report.busiest.byWeekday.map((e: { name: string; count: number }) => [e.name, e.count])).toEqual([
      ['Senin', 2],
      ['Selasa', 0],
      ['Rabu', 1],
      ['Kamis', 0],
      ['Jumat', 0],
      ['Sabtu', 0],
      ['Minggu', 1],
    ]);
  });

  it('stores no source for the unknown ref, and the first kelurahan on the contacts that had one', async () => {
    const tickets = (await (await h.request('GET', '/v1/tickets?limit=100')).json()).items;
    expect(tickets).toHaveLength(5);
    const contact = await h.repos.inbox.transaction((tx) =>
      tx.findOrCreateContact({ channel: 'instagram-graph', externalUserId: 'c', displayName: 'Warga c' }),
    );
    expect(contact.sourceCode).toBeNull();
    const gandul = await h.repos.inbox.transaction((tx) =>
      tx.findOrCreateContact({
        channel: 'whatsapp',
        externalUserId: 'b',
        displayName: 'Warga b',
        sourceCode: 'beji--beji',
      }),
    );
    expect(gandul.sourceCode).toBe('cinere--gandul');
  });

  it('defaults to the 30 days before now, and takes date-times with an offset', async () => {
    const recent = await (await summary('', 'admin')).json();
    expect(recent.range.from).toBe(new Date(NOW.getTime() - 30 * 24 * HOUR).toISOString());
    expect(recent.tickets.total).toBe(5);
    const instant = await (await summary('?from=2026-03-02T09:30:00%2B07:00&to=2026-03-02T10:00:00Z')).json();
    expect(instant.tickets.total).toBe(1);
    expect(instant.tickets.byChannel[1]).toEqual({ channel: 'whatsapp', count: 1 });
  });

  it('gives the same figures as CSV with a BOM, one figure a row, and records the export', async () => {
    const response = await summary('?from=2026-03-02&to=2026-03-08', 'supervisor', { accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="loket-laporan-2026-03-02_2026-03-08.csv"',
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).split('\r\n');
    expect(lines[0]).toBe('metric,key,label,group,value');
    expect(lines).toEqual(
      expect.arrayContaining([
        'range,from,,,2026-03-01T17:00:00.000Z',
        'tickets,total,,,4',
        'tickets_by_channel,instagram-graph,,,1',
        'tickets_by_service,KK,Kartu Keluarga (KK),,1',
        'tickets_by_kelurahan,beji--kukusan,Kukusan,Beji,1',
        'tickets_by_kelurahan,beji--beji,Beji,Beji,0',
        'tickets_by_kelurahan,unknown,tidak diketahui (tanpa kode spanduk),,2',
        'sla,compliance_rate,,,0.5',
        'first_response_seconds,median,,,10800',
        'complaints,overdue,,,1',
        'tickets_by_hour,09,09.00,,1',
        'tickets_by_weekday,7,Minggu,,1',
      ]),
    );
    // Header, 4 range rows, total, 5 channels, 10 services, 64 sources, 5 SLA, 3 response, 4 complaints,
    // 24 hours, 7 weekdays, and the empty string after the last CRLF.
    expect(lines).toHaveLength(1 + 4 + 1 + 5 + 10 + 64 + 5 + 3 + 4 + 24 + 7 + 1);
    const audit = await (await h.request('GET', '/v1/admin/audit?limit=5', { token: h.tokens.admin })).json();
    expect(audit.items[0]).toMatchObject({
      action: 'report.export',
      target: 'report:summary',
      actorId: h.userIds.supervisor,
    });
  });

  it('refuses bad and oversized ranges with the fields at fault', async () => {
    for (const [query, path] of [
      ['?from=2025-01-01&to=2026-03-01', 'to'],
      ['?from=2026-03-08&to=2026-03-01', 'from'],
      ['?from=2026-02-30', 'from'],
      ['?to=2026-03-01T08:00:00', 'to'],
    ] as const) {
      const response = await summary(query);
      expect(response.status, query).toBe(400);
      const { error } = await response.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.issues.map((issue: { path: string }) => issue.path)).toEqual([path]);
    }
  });

  it('is for supervisors and admins: officers get 403, no token 401', async () => {
    expect((await summary('', 'admin')).status).toBe(200);
    const officer = await h.request('GET', '/v1/reports/summary', { token: h.tokens.officer });
    expect(officer.status).toBe(403);
    expect((await officer.json()).error.code).toBe('FORBIDDEN');
    const csvAsOfficer = await h.request('GET', '/v1/reports/summary', {
      token: h.tokens.officer,
      headers: { accept: 'text/csv' },
    });
    expect(csvAsOfficer.status).toBe(403);
    const anonymous = await h.request('GET', '/v1/reports/summary', { token: null });
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe('UNAUTHORIZED');
  });

  it('is in the OpenAPI document with both content types', async () => {
    const doc = await (await h.request('GET', '/openapi.json', { token: null })).json();
    const content = doc.paths['/v1/reports/summary'].get.responses['200'].content;
    expect(Object.keys(content)).toEqual(['application/json', 'text/csv']);
    expect(content['application/json'].schema.$ref).toBe('#/components/schemas/SummaryReport');
  });
});
