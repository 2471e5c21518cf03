import type { AuditLog } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { createHarness, databaseKinds, type Harness } from './harness.ts';

type Role = 'officer' | 'supervisor' | 'admin';

describe.each(databaseKinds())('canned responses on %s', (kind) => {
  let h: Harness;
  let audit: MockInstance<AuditLog['record']>;
  let ticketId: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    audit = vi.spyOn(h.repos.audit, 'record');
    ({ ticketId } = await h.receive({
      externalUserId: 'c1',
      externalThreadId: 'c1',
      displayName: 'Siti Aminah',
    }));
  });
  afterAll(() => h.close());
  const as = (role: Role) => ({ token: h.tokens[role] });
  const lastAudit = () => audit.mock.calls.at(-1)?.[0];

  let shortcuts = 0;
  async function create(body: Record<string, unknown> = {}, role: Role = 'supervisor') {
    shortcuts += 1;
    return h.request('POST', '/v1/canned-responses', {
      ...as(role),
      body: { shortcut: `jawaban-${shortcuts}`, title: 'Jawaban', body: 'Halo {{nama}}', ...body },
    });
  }

  describe('roles: every route, every role, and no token', () => {
    let id: string;
    beforeAll(async () => {
      id = (await (await create({ shortcut: 'peran' })).json()).id;
    });
    const reads: [string, string][] = [
      ['GET', '/v1/canned-responses'],
      ['GET', '/v1/canned-responses/:id'],
      ['GET', '/v1/canned-responses/:id/preview?ticketId=:ticket'],
    ];
    const pathOf = (template: string) => template.replace(':id', id).replace(':ticket', ticketId);

    it.each(reads)('%s %s: any staff reads, nobody without a token', async (method, template) => {
      expect((await h.request(method, pathOf(template), { token: null })).status).toBe(401);
      for (const role of ['officer', 'supervisor', 'admin'] as const)
        expect((await h.request(method, pathOf(template), as(role))).status, role).toBe(200);
    });

    it('POST, PATCH and DELETE: supervisors and admins write, officers get 403, no token 401', async () => {
      const writes: [string, string, unknown][] = [
        ['POST', '/v1/canned-responses', { shortcut: 'baru', title: 'T', body: 'B' }],
        ['PATCH', `/v1/canned-responses/${id}`, { title: 'Ganti' }],
        ['DELETE', `/v1/canned-responses/${id}`, undefined],
      ];
      for (const [method, path, body] of writes) {
        expect((await h.request(method, path, { token: null, body })).status, `${method} anonymous`).toBe(
          401,
        );
        const refused = await h.request(method, path, { ...as('officer'), body });
        expect(refused.status, `${method} officer`).toBe(403);
        expect((await refused.json()).error.code).toBe('FORBIDDEN');
      }
      expect(
        (await h.request('POST', '/v1/canned-responses', { ...as('supervisor'), body: writes[0]![2] }))
          .status,
      ).toBe(201);
      expect(
        (await h.request('PATCH', `/v1/canned-responses/${id}`, { ...as('admin'), body: { title: 'Ganti' } }))
          .status,
      ).toBe(200);
      expect((await h.request('DELETE', `/v1/canned-responses/${id}`, as('supervisor'))).status).toBe(204);
    });
  });

  it('creates, reads, changes and deletes, auditing each write', async () => {
    const created = await create({
      shortcut: 'syarat-akta',
      title: 'Syarat akta kelahiran',
      body: 'Halo {{nama}}, syarat {{layanan}}: surat keterangan lahir dan KK.',
    });
    expect(created.status).toBe(201);
    const canned = await created.json();
    expect(canned).toMatchObject({ shortcut: 'syarat-akta', createdById: h.userIds.supervisor });
    expect(lastAudit()).toEqual({
      actorId: h.userIds.supervisor,
      action: 'canned.create',
      target: `canned:${canned.id}`,
      meta: { shortcut: 'syarat-akta' },
    });
    expect(await (await h.request('GET', `/v1/canned-responses/${canned.id}`)).json()).toEqual(canned);

    const patched = await h.request('PATCH', `/v1/canned-responses/${canned.id}`, {
      ...as('admin'),
      body: { title: 'Syarat akta lahir' },
    });
    expect(await patched.json()).toMatchObject({ title: 'Syarat akta lahir', body: canned.body });
    expect(lastAudit()).toMatchObject({ action: 'canned.update', meta: { fields: ['title'] } });

    expect((await h.request('DELETE', `/v1/canned-responses/${canned.id}`, as('admin'))).status).toBe(204);
    expect(lastAudit()).toMatchObject({ action: 'canned.delete', meta: { shortcut: 'syarat-akta' } });
    for (const [method, body] of [['GET'], ['PATCH', { title: 'x' }], ['DELETE']] as const) {
      const gone = await h.request(method, `/v1/canned-responses/${canned.id}`, { ...as('admin'), body });
      expect(gone.status, method).toBe(404);
      expect((await gone.json()).error.code).toBe('CANNED_RESPONSE_NOT_FOUND');
    }
  });

  it('lists by shortcut and searches shortcut, title and body', async () => {
    await create({
      shortcut: 'kk-hilang',
      title: 'KK hilang',
      body: 'Silakan lapor kehilangan ke kepolisian.',
    });
    await create({ shortcut: 'jam-layanan', title: 'Jam layanan', body: 'Senin sampai Jumat, 08.00-12.00.' });
    const list = async (q?: string) =>
      (
        await (await h.request('GET', `/v1/canned-responses${q ? `?q=${encodeURIComponent(q)}` : ''}`)).json()
      ).items.map((c: { shortcut: string }) => c.shortcut);
    const all = await list();
    expect(all).toEqual([...all].sort());
    expect(await list('KK-HIL')).toEqual(['kk-hilang']);
    expect(await list('jam layanan')).toEqual(['jam-layanan']);
    expect(await list('kepolisian')).toEqual(['kk-hilang']);
    expect(await list('%')).toEqual([]);
  });

  it('refuses bad shortcuts, a taken shortcut, unknown placeholders and long bodies with field paths', async () => {
    const issuesOf = async (response: Awaited<ReturnType<Harness['request']>>) => {
      expect(response.status).toBe(400);
      return (await response.json()).error.issues as { path: string; message: string }[];
    };
    for (const shortcut of ['A', 'Syarat', '-awal', 'spasi di', 'x'.repeat(41)])
      expect(
        (await issuesOf(await create({ shortcut }))).map((i) => i.path),
        shortcut,
      ).toEqual(['shortcut']);
    const unknown = await issuesOf(await create({ body: 'Halo {{nama}}, NIK {{nik}} dan {{ petugas }}' }));
    expect(unknown.map((i) => i.path)).toEqual(['body', 'body']);
    expect(unknown[0]?.message).toContain('{{nik}}');
    expect((await issuesOf(await create({ body: 'x'.repeat(4001) })))[0]?.path).toBe('body');
    expect((await issuesOf(await create({ title: '  ' })))[0]?.path).toBe('title');
    const first = await create({ shortcut: 'sama' });
    expect(first.status).toBe(201);
    const taken = await create({ shortcut: 'sama' });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.code).toBe('SHORTCUT_EXISTS');
    const other = (await (await create()).json()).id;
    const renamed = await h.request('PATCH', `/v1/canned-responses/${other}`, {
      ...as('supervisor'),
      body: { shortcut: 'sama' },
    });
    expect(renamed.status).toBe(409);
    const badPatch = await h.request('PATCH', `/v1/canned-responses/${other}`, {
      ...as('supervisor'),
      body: { body: '{{kantor}} {{alamat}}' },
    });
    expect((await issuesOf(badPatch))[0]?.path).toBe('body');
  });

  it("previews the text for a ticket: citizen, number, service, office and the officer's name", async () => {
    const canned = await (
      await create({
        body: 'Halo {{nama}}, tiket {{nomor_tiket}} untuk {{layanan}} di {{kantor}} kami proses. Salam, {{petugas}}',
      })
    ).json();
    const ticket = await (await h.request('GET', `/v1/tickets/${ticketId}`)).json();
    const preview = await h.request('GET', `/v1/canned-responses/${canned.id}/preview?ticketId=${ticketId}`);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toEqual({
      text: `Halo Siti Aminah, tiket ${ticket.number} untuk Akta Kelahiran di Disdukcapil Kota Depok kami proses. Salam, Test officer`,
    });
    const noTicket = await h.request('GET', `/v1/canned-responses/${canned.id}/preview?ticketId=nope`);
    expect(noTicket.status).toBe(404);
    expect((await noTicket.json()).error.code).toBe('TICKET_NOT_FOUND');
    const noCanned = await h.request('GET', `/v1/canned-responses/nope/preview?ticketId=${ticketId}`);
    expect((await noCanned.json()).error.code).toBe('CANNED_RESPONSE_NOT_FOUND');
    expect((await h.request('GET', `/v1/canned-responses/${canned.id}/preview`)).status).toBe(400);
  });

  it('sends a canned response as a reply: rendered when there is no text, the text as written otherwise', async () => {
    const canned = await (await create({ body: 'Baik {{nama}}, salam dari {{petugas}}.' })).json();
    const rendered = await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      ...as('supervisor'),
      body: { cannedResponseId: canned.id },
    });
    expect(rendered.status).toBe(202);
    expect(await rendered.json()).toMatchObject({
      text: 'Baik Siti Aminah, salam dari Test supervisor.',
      deliveryStatus: 'queued',
      authorId: h.userIds.supervisor,
    });
    expect(lastAudit()).toEqual({
      actorId: h.userIds.supervisor,
      action: 'ticket.reply',
      target: `ticket:${ticketId}`,
      meta: { cannedResponseId: canned.id },
    });
    const edited = await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      body: { cannedResponseId: canned.id, text: 'Baik Bu Siti, sudah kami terima.' },
    });
    expect((await edited.json()).text).toBe('Baik Bu Siti, sudah kami terima.');
    const unknown = await h.request('POST', `/v1/tickets/${ticketId}/replies`, {
      body: { cannedResponseId: 'nope' },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.issues).toEqual([
      { path: 'cannedResponseId', message: 'no canned response with that id' },
    ]);
    const noTicket = await h.request('POST', '/v1/tickets/nope/replies', {
      body: { cannedResponseId: canned.id },
    });
    expect(noTicket.status).toBe(404);
  });
});
