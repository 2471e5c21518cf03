import {
  type ComplaintContext,
  changeComplaintStage,
  DEFAULT_OFFICE_POLICY,
  ERASURE_TEXTS,
  type NewAttachment,
  openComplaintInTransaction,
  type ReceivedMessage,
  receiveMessage,
} from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, NOW } from './test-fixtures.ts';

const context: ComplaintContext = {
  timezone: 'Asia/Jakarta',
  calendar: { addWorkingDays: (from, days) => new Date(from.getTime() + days * 86_400_000) },
  describeTime: (at) => at.toISOString(),
};
const LATER = new Date(NOW.getTime() + 3_600_000);
const photo = (storageKey: string, name = 'KTP Siti Aminah.jpg'): NewAttachment => ({
  kind: 'image',
  mime: 'image/jpeg',
  name,
  size: 100,
  storageKey,
  error: null,
});

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('contact records on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());

  const receive = async (message: Partial<ReceivedMessage>, at = NOW) => {
    const result = await receiveMessage({
      store: repos.inbox,
      clock: { now: () => at },
      policy: DEFAULT_OFFICE_POLICY,
      message: { ...citizenMessage(), ...message, attachments: message.attachments ?? [] },
    });
    if (result.outcome !== 'stored') throw new Error('expected a stored message');
    return result;
  };

  let siti: { contactId: string; ticketId: string; complaintId: string };
  let budiContactId: string;
  beforeEach(async () => {
    await db.reset();
    const first = await receive({
      externalMessageId: '5001:1',
      handle: 'siti_a',
      phone: '6281234567890',
      text: 'NIK saya 3276010101010001, mau urus akta',
      location: { latitude: -6.4, longitude: 106.8, address: 'Jl. Margonda 1' },
      attachments: [photo('k-shared'), photo('k-own')],
    });
    await receive({ externalMessageId: '5001:2', text: 'ini KK saya' }, new Date(NOW.getTime() + 60_000));
    const budi = await receive(
      {
        externalMessageId: '6002:1',
        externalUserId: '6002',
        externalThreadId: '6002',
        displayName: 'Budi Santoso',
        attachments: [photo('k-shared', 'ktp.jpg')],
      },
      LATER,
    );
    budiContactId = budi.ticket.contactId;
    const { complaint } = await repos.inbox.transaction((tx) =>
      openComplaintInTransaction(tx, {
        ticket: first.ticket,
        reason: 'manual',
        now: NOW,
        actorId: 'sup',
        context,
      }),
    );
    await changeComplaintStage({
      store: repos.inbox,
      clock: { now: () => LATER },
      context,
      complaintId: complaint.id,
      to: 'verified',
      note: 'Bu Siti sudah ditelepon di 081234567890',
      actorId: 'sup',
    });
    // An entry written before stage notes were left out of the audit log.
    await db.prisma.auditLog.create({
      data: {
        id: 'legacy',
        action: 'complaint.stage',
        target: `complaint:${complaint.id}`,
        meta: { from: 'received', to: 'verified', note: 'Bu Siti' },
      },
    });
    siti = { contactId: first.ticket.contactId, ticketId: first.ticket.id, complaintId: complaint.id };
  });

  const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);

  it('finds a citizen by name, phone (0812… too), handle or user id, newest first with a cursor', async () => {
    const search = (q?: string) => repos.contacts.search({ q, limit: 10 });
    expect(ids(await search('siti'))).toEqual([siti.contactId]);
    expect(ids(await search('AMINAH'))).toEqual([siti.contactId]);
    expect(ids(await search('0812-3456'))).toEqual([siti.contactId]);
    expect(ids(await search('62812345'))).toEqual([siti.contactId]);
    expect(ids(await search('@siti_a'))).toEqual([siti.contactId]);
    expect(ids(await search('5001'))).toEqual([siti.contactId]);
    expect(ids(await search('santoso'))).toEqual([budiContactId]);
    expect(ids(await search('%'))).toEqual([]);
    expect(ids(await search('nobody'))).toEqual([]);
    expect(ids(await search())).toEqual([budiContactId, siti.contactId]);

    const first = await repos.contacts.search({ limit: 1 });
    expect(ids(first)).toEqual([budiContactId]);
    const second = await repos.contacts.search({ limit: 1, cursor: first.nextCursor ?? undefined });
    expect(ids(second)).toEqual([siti.contactId]);
    expect(second.nextCursor).toBeNull();
  });

  it('gives one contact with identities and tickets, and null for an unknown one', async () => {
    const contact = await repos.contacts.get(siti.contactId);
    expect(contact).toMatchObject({
      id: siti.contactId,
      displayName: 'Siti Aminah',
      phone: '6281234567890',
      anonymizedAt: null,
      ticketCount: 1,
      identities: [
        { channel: 'telegram', externalUserId: '5001', handle: 'siti_a', createdAt: expect.any(Date) },
      ],
    });
    expect(contact?.tickets.map((ticket) => ticket.id)).toEqual([siti.ticketId]);
    expect(await repos.contacts.get('missing')).toBeNull();
    expect(await repos.contacts.get('a\u0000b')).toBeNull();
  });

  it('exports everything about one citizen: tickets, messages, attachments, complaints and events', async () => {
    const data = await repos.contacts.export(siti.contactId);
    expect(data?.contact.id).toBe(siti.contactId);
    expect(data?.tickets).toHaveLength(1);
    const ticket = data?.tickets[0];
    const inbound = ticket?.messages.filter((message) => message.direction === 'inbound') ?? [];
    expect(inbound.map((message) => message.text)).toEqual([
      'NIK saya 3276010101010001, mau urus akta',
      'ini KK saya',
    ]);
    expect(inbound[0]?.extra?.location?.address).toBe('Jl. Margonda 1');
    expect(inbound[0]?.attachments.map((attachment) => attachment.storageKey)).toEqual(['k-shared', 'k-own']);
    expect(ticket?.complaints[0]?.events.map((event) => [event.toStatus, event.note])).toEqual([
      ['received', null],
      ['verified', 'Bu Siti sudah ditelepon di 081234567890'],
    ]);
    expect(await repos.contacts.export('missing')).toBeNull();
  });

  it('anonymises: erases identities, texts, files and notes; keeps tickets, numbers, SLA and stages', async () => {
    const before = await db.prisma.ticket.findUniqueOrThrow({ where: { id: siti.ticketId } });
    const result = await repos.contacts.anonymise(siti.contactId, { at: LATER, erasure: ERASURE_TEXTS });
    expect(result).toMatchObject({
      contactId: siti.contactId,
      anonymizedAt: LATER,
      alreadyAnonymized: false,
      ticketsKept: 1,
      ticketsClosed: 1,
      attachmentsErased: 2,
      complaintsCleared: 1,
    });
    expect(result?.messagesErased).toBeGreaterThanOrEqual(2);
    expect(result?.storageKeys.sort()).toEqual(['k-own', 'k-shared']);
    // Budi still sends the same photo: only Siti's own file may go.
    expect(await repos.attachments.unreferencedKeys(result?.storageKeys ?? [])).toEqual(['k-own']);

    const contact = await db.prisma.contact.findUniqueOrThrow({ where: { id: siti.contactId } });
    expect(contact).toMatchObject({ displayName: 'Warga (dihapus)', phone: null, anonymizedAt: LATER });
    expect(await db.prisma.contactIdentity.count({ where: { contactId: siti.contactId } })).toBe(0);

    const after = await db.prisma.ticket.findUniqueOrThrow({ where: { id: siti.ticketId } });
    expect(after).toMatchObject({
      number: before.number,
      channel: before.channel,
      service: before.service,
      serviceDetected: before.serviceDetected,
      createdAt: before.createdAt,
      firstResponseDueAt: before.firstResponseDueAt,
      slaWarnAt: before.slaWarnAt,
      sourceCode: before.sourceCode,
      status: 'closed',
      threadId: '(dihapus)',
    });

    const events = await db.prisma.event.findMany({
      where: { ticketId: siti.ticketId, type: 'ticket.updated' },
    });
    expect(events.map((event) => event.payload)).toContainEqual({
      ticketId: siti.ticketId,
      changes: { status: 'closed' },
    });

    const messages = await db.prisma.message.findMany({
      where: { ticketId: siti.ticketId },
      include: { attachments: true },
    });
    for (const message of messages) {
      expect(message).toMatchObject({ text: '[dihapus]', extra: null, externalId: null });
      // Loket's acknowledgements were still queued: they must not go out any more.
      expect(message.deliveryStatus).not.toBe('queued');
    }
    const attachments = messages.flatMap((message) => message.attachments);
    expect(attachments.map((a) => [a.storageKey, a.name, a.error, a.mime, a.size])).toEqual([
      [null, null, ERASURE_TEXTS.attachmentError, 'image/jpeg', 100],
      [null, null, ERASURE_TEXTS.attachmentError, 'image/jpeg', 100],
    ]);

    const complaint = await db.prisma.complaint.findUniqueOrThrow({
      where: { id: siti.complaintId },
      include: { events: { orderBy: { at: 'asc' } } },
    });
    expect(complaint.status).toBe('verified');
    expect(complaint.events.map((event) => [event.toStatus, event.note])).toEqual([
      ['received', null],
      ['verified', '[dihapus]'],
    ]);
    const audit = await db.prisma.auditLog.findMany({ where: { target: `complaint:${siti.complaintId}` } });
    for (const entry of audit) expect(entry.meta).not.toHaveProperty('note');

    // Budi is untouched.
    const budi = await repos.contacts.export(budiContactId);
    expect(budi?.contact.displayName).toBe('Budi Santoso');
    expect(budi?.tickets[0]?.messages[0]?.attachments[0]?.storageKey).toBe('k-shared');
  });

  it('starts a new contact when the anonymised citizen writes again', async () => {
    await repos.contacts.anonymise(siti.contactId, { at: LATER, erasure: ERASURE_TEXTS });
    const again = await receive({ externalMessageId: '5001:3', text: 'halo lagi' }, LATER);
    expect(again.ticket.contactId).not.toBe(siti.contactId);
    expect(again.ticket.id).not.toBe(siti.ticketId);
    expect(again.ticket.contactName).toBe('Siti Aminah');
  });

  it('is idempotent: a second run keeps the first time and erases nothing more', async () => {
    await repos.contacts.anonymise(siti.contactId, { at: LATER, erasure: ERASURE_TEXTS });
    const second = await repos.contacts.anonymise(siti.contactId, {
      at: new Date(LATER.getTime() + 60_000),
      erasure: ERASURE_TEXTS,
    });
    expect(second).toEqual({
      contactId: siti.contactId,
      anonymizedAt: LATER,
      alreadyAnonymized: true,
      ticketsKept: 1,
      ticketsClosed: 0,
      messagesErased: 0,
      attachmentsErased: 0,
      complaintsCleared: 0,
      storageKeys: [],
    });
    expect(await repos.contacts.anonymise('missing', { at: LATER, erasure: ERASURE_TEXTS })).toBeNull();
  });
});
