import type { FileStore } from '@loket/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, databaseKinds, type Harness, memoryFiles } from './harness.ts';

const ROUTES: [string, string][] = [
  ['GET', '/v1/admin/contacts'],
  ['GET', '/v1/admin/contacts/x'],
  ['GET', '/v1/admin/contacts/x/export'],
  ['POST', '/v1/admin/contacts/x/anonymise'],
];
const NIK = '3276010101010001';

describe.each(databaseKinds())('citizen data rights (/v1/admin/contacts) on %s', (kind) => {
  let h: Harness;
  let files: FileStore;
  let siti: { contactId: string; ticketId: string; attachmentId: string; ownKey: string; sharedKey: string };
  let budiContactId: string;
  const asAdmin = () => ({ token: h.tokens.admin });

  beforeAll(async () => {
    files = memoryFiles();
    h = await createHarness(kind, { files });
    const first = await h.receive({
      externalUserId: '5001',
      externalThreadId: '5001',
      displayName: 'Siti Aminah',
      handle: 'siti_a',
      text: `NIK saya ${NIK}`,
    });
    const ownKey = await files.put(new Uint8Array([1, 2, 3]));
    const sharedKey = await files.put(new Uint8Array([7, 7, 7]));
    const photo = (storageKey: string, name: string) => ({
      kind: 'image' as const,
      mime: 'image/jpeg',
      name,
      size: 3,
      storageKey,
      error: null,
    });
    const withFiles = await h.repos.inbox.transaction((tx) =>
      tx.appendMessage({
        ticketId: first.ticketId,
        channel: 'telegram',
        direction: 'inbound',
        text: 'foto KTP',
        createdAt: new Date(),
        attachments: [photo(ownKey, 'KTP Siti.jpg'), photo(sharedKey, 'formulir.jpg')],
      }),
    );
    const budi = await h.receive({
      externalUserId: '6002',
      externalThreadId: '6002',
      displayName: 'Budi Santoso',
    });
    await h.repos.inbox.transaction((tx) =>
      tx.appendMessage({
        ticketId: budi.ticketId,
        channel: 'telegram',
        direction: 'inbound',
        text: 'formulir',
        createdAt: new Date(),
        attachments: [photo(sharedKey, 'formulir.jpg')],
      }),
    );
    budiContactId = (await h.repos.tickets.getTicket(budi.ticketId))?.contactId ?? '';
    siti = {
      contactId: (await h.repos.tickets.getTicket(first.ticketId))?.contactId ?? '',
      ticketId: first.ticketId,
      attachmentId: withFiles.attachments[0]?.id ?? '',
      ownKey,
      sharedKey,
    };
  });
  afterAll(() => h.close());

  const lastAudit = async (action: string) =>
    (await (await h.request('GET', `/v1/admin/audit?action=${action}&limit=1`, asAdmin())).json()).items[0];

  it.each(ROUTES)('%s %s needs a token and the admin role', async (method, path) => {
    expect((await h.request(method, path, { token: null })).status).toBe(401);
    for (const role of ['officer', 'supervisor'] as const) {
      const response = await h.request(method, path, { token: h.tokens[role] });
      expect(response.status).toBe(403);
      expect((await response.json()).error.code).toBe('FORBIDDEN');
    }
  });

  it('finds a citizen by name, phone or handle, and audits the search without the query', async () => {
    const found = await (await h.request('GET', '/v1/admin/contacts?q=@siti_a', asAdmin())).json();
    expect(found.items).toEqual([
      expect.objectContaining({
        id: siti.contactId,
        displayName: 'Siti Aminah',
        anonymizedAt: null,
        ticketCount: 1,
        identities: [
          expect.objectContaining({ channel: 'telegram', externalUserId: '5001', handle: 'siti_a' }),
        ],
      }),
    ]);
    expect((await lastAudit('contact.search')).meta).toEqual({ results: 1 });
    expect(JSON.stringify(await lastAudit('contact.search'))).not.toContain('siti');

    const page = await (await h.request('GET', '/v1/admin/contacts?limit=1', asAdmin())).json();
    expect(page.items.map((c: { id: string }) => c.id)).toEqual([budiContactId]);
    const next = await (
      await h.request('GET', `/v1/admin/contacts?limit=1&cursor=${page.nextCursor}`, asAdmin())
    ).json();
    expect(next.items.map((c: { id: string }) => c.id)).toEqual([siti.contactId]);
    expect((await h.request('GET', '/v1/admin/contacts?limit=0', asAdmin())).status).toBe(400);
  });

  it('shows one contact with tickets, audited; 404 CONTACT_NOT_FOUND for an unknown one', async () => {
    const response = await h.request('GET', `/v1/admin/contacts/${siti.contactId}`, asAdmin());
    expect(response.status).toBe(200);
    const contact = await response.json();
    expect(contact.tickets).toEqual([expect.objectContaining({ id: siti.ticketId, slaState: 'on_track' })]);
    expect(await lastAudit('contact.read')).toMatchObject({
      actorId: h.userIds.admin,
      target: `contact:${siti.contactId}`,
    });
    const missing = await h.request('GET', '/v1/admin/contacts/nobody', asAdmin());
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({
      code: 'CONTACT_NOT_FOUND',
      requestId: expect.any(String),
    });
  });

  it('exports everything as a JSON download whose attachment paths work', async () => {
    const response = await h.request('GET', `/v1/admin/contacts/${siti.contactId}/export`, asAdmin());
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="contact-${siti.contactId}.json"`,
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const data = await response.json();
    expect(data.contact).toMatchObject({ id: siti.contactId, displayName: 'Siti Aminah' });
    expect(data.tickets).toHaveLength(1);
    const messages = data.tickets[0].messages;
    expect(messages.map((m: { text: string }) => m.text)).toEqual(
      expect.arrayContaining([`NIK saya ${NIK}`]),
    );
    const attachment = messages.flatMap((m: { attachments: unknown[] }) => m.attachments)[0];
    expect(attachment).toMatchObject({
      name: 'KTP Siti.jpg',
      downloadPath: `/v1/attachments/${siti.attachmentId}`,
    });
    expect((await h.request('GET', attachment.downloadPath)).status).toBe(200);
    expect(await lastAudit('contact.export')).toMatchObject({
      target: `contact:${siti.contactId}`,
      meta: { tickets: 1 },
    });
    expect((await h.request('GET', '/v1/admin/contacts/nobody/export', asAdmin())).status).toBe(404);
  });

  it('anonymises: texts and files gone, the shared file kept, the ticket counted; idempotent', async () => {
    const response = await h.request('POST', `/v1/admin/contacts/${siti.contactId}/anonymise`, asAdmin());
    expect(response.status).toBe(200);
    const outcome = await response.json();
    expect(outcome).toMatchObject({
      contactId: siti.contactId,
      alreadyAnonymized: false,
      ticketsKept: 1,
      ticketsClosed: 1,
      attachmentsErased: 2,
      filesDeleted: 1,
    });
    expect(await files.get(siti.ownKey)).toBeNull();
    expect(await files.get(siti.sharedKey)).not.toBeNull();

    const messages = await (await h.request('GET', `/v1/tickets/${siti.ticketId}/messages`)).json();
    for (const message of messages.items) expect(message.text).toBe('[dihapus]');
    const ticket = await (await h.request('GET', `/v1/tickets/${siti.ticketId}`)).json();
    expect(ticket).toMatchObject({ status: 'closed', contact: { displayName: 'Warga (dihapus)' } });
    const file = await h.request('GET', `/v1/attachments/${siti.attachmentId}`);
    expect(file.status).toBe(404);
    expect((await file.json()).error.message).toMatch(/^the file was not kept: erased/);
    const contact = await (await h.request('GET', `/v1/admin/contacts/${siti.contactId}`, asAdmin())).json();
    expect(contact).toMatchObject({ displayName: 'Warga (dihapus)', phone: null, identities: [] });
    expect(contact.anonymizedAt).toBe(outcome.anonymizedAt);

    const entry = await lastAudit('contact.anonymise');
    expect(entry).toMatchObject({ actorId: h.userIds.admin, target: `contact:${siti.contactId}` });
    expect(JSON.stringify(entry)).not.toMatch(/Siti|3276/);

    const again = await h.request('POST', `/v1/admin/contacts/${siti.contactId}/anonymise`, asAdmin());
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({
      alreadyAnonymized: true,
      anonymizedAt: outcome.anonymizedAt,
      messagesErased: 0,
      attachmentsErased: 0,
      filesDeleted: 0,
    });
    // Budi keeps his file.
    const budi = await (
      await h.request('GET', `/v1/admin/contacts/${budiContactId}/export`, asAdmin())
    ).json();
    expect(budi.tickets[0].messages.flatMap((m: { attachments: unknown[] }) => m.attachments)).toEqual([
      expect.objectContaining({ available: true }),
    ]);
  });

  it('answers 404 for anonymising an unknown contact', async () => {
    const response = await h.request('POST', '/v1/admin/contacts/nobody/anonymise', asAdmin());
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('CONTACT_NOT_FOUND');
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await h.request('GET', '/openapi.json', { token: null })).json();
    for (const path of [
      '/v1/admin/contacts',
      '/v1/admin/contacts/{id}',
      '/v1/admin/contacts/{id}/export',
      '/v1/admin/contacts/{id}/anonymise',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
