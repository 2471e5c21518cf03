import { complaintContextFor, DEFAULT_OFFICE_POLICY, sweepSla } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

describe.each(databaseKinds())('complaints API on %s', (kind) => {
  let h: Harness;
  let complaintId: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    await h.receive({ externalUserId: 'late', externalThreadId: 'late' });
    const later = new Date(Date.now() + 73 * 3_600_000);
    const { complaints } = await sweepSla({
      store: h.repos.inbox,
      clock: { now: () => later },
      context: complaintContextFor(DEFAULT_OFFICE_POLICY, later),
    });
    complaintId = complaints[0]?.id ?? '';
  });
  afterAll(() => h.close());

  it('lists and gets complaints for supervisors and admins, filtered', async () => {
    for (const role of ['supervisor', 'admin'] as const) {
      const list = await h.request('GET', '/v1/complaints', { token: h.tokens[role] });
      expect(list.status).toBe(200);
      const { items, nextCursor } = await list.json();
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        id: complaintId,
        status: 'received',
        reason: 'sla_breach',
        overdue: false,
      });
      expect(nextCursor).toBeNull();
    }
    const filtered = await h.request('GET', '/v1/complaints?status=verified&channel=telegram', {
      token: h.tokens.supervisor,
    });
    expect((await filtered.json()).items).toEqual([]);
    const one = await h.request('GET', `/v1/complaints/${complaintId}`, { token: h.tokens.supervisor });
    expect((await one.json()).number).toMatch(/^ADU-/);
  });

  it('keeps officers out (403) and answers unknown ids with 404', async () => {
    for (const [method, path] of [
      ['GET', '/v1/complaints'],
      ['GET', `/v1/complaints/${complaintId}`],
      ['PATCH', `/v1/complaints/${complaintId}`],
    ] as const) {
      const response = await h.request(method, path, {
        token: h.tokens.officer,
        body: method === 'PATCH' ? { status: 'verified' } : undefined,
      });
      expect(response.status).toBe(403);
    }
    const missing = await h.request('GET', '/v1/complaints/nope', { token: h.tokens.supervisor });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('COMPLAINT_NOT_FOUND');
  });

  it('moves stages in order, needs a note to resolve or reject, and refuses skipping', async () => {
    const patch = (body: unknown) =>
      h.request('PATCH', `/v1/complaints/${complaintId}`, { token: h.tokens.supervisor, body });
    expect((await patch({ status: 'resolved', note: 'selesai' })).status).toBe(409);
    expect((await (await patch({ status: 'verified' })).json()).status).toBe('verified');
    const bare = await patch({ status: 'rejected' });
    expect(bare.status).toBe(400);
    expect((await bare.json()).error.code).toBe('REASON_REQUIRED');
    const rejected = await patch({ status: 'rejected', note: 'Bukan kewenangan Disdukcapil' });
    expect(await rejected.json()).toMatchObject({
      status: 'rejected',
      resolution: 'Bukan kewenangan Disdukcapil',
      stageDueAt: null,
    });
    expect((await patch({ status: 'wat' })).status).toBe(400);
  });
});
