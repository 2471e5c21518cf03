import { replyToTicket } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, deliveryJobs, fixedClock, NOW, receive } from './test-fixtures.ts';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('InboxStore on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  it('stores a first message: contact, numbered ticket, inbound message, acknowledgement and its job', async () => {
    const result = await receive(
      repos.inbox,
      citizenMessage({ referralCode: 'beji--beji', phone: '+628123', handle: 'siti' }),
    );
    if (result.outcome !== 'stored') throw new Error(`expected stored, got ${result.outcome}`);
    expect(result.ticketCreated).toBe(true);
    expect(result.ticket).toMatchObject({
      number: 'DPK-2026-000001',
      status: 'open',
      channel: 'telegram',
      threadId: '5001',
      contactName: 'Siti Aminah',
      service: 'AKTA_KELAHIRAN',
      serviceDetected: 'AKTA_KELAHIRAN',
      sourceCode: 'beji--beji',
      firstRespondedAt: null,
      createdAt: NOW,
      lastMessageAt: NOW,
    });
    expect(result.message).toMatchObject({
      direction: 'inbound',
      externalId: '5001:1',
      extra: { referralCode: 'beji--beji' },
    });
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]).toMatchObject({
      direction: 'outbound',
      automated: true,
      deliveryStatus: 'queued',
    });

    const contact = await db.prisma.contact.findFirstOrThrow({ include: { identities: true } });
    expect(contact).toMatchObject({ displayName: 'Siti Aminah', phone: '+628123', sourceCode: 'beji--beji' });
    expect(contact.identities).toMatchObject([
      { channel: 'telegram', externalUserId: '5001', handle: 'siti' },
    ]);
    expect(await deliveryJobs(db.prisma)).toEqual([
      { messageId: result.replies[0]?.id, queue: 'delivery-telegram', state: 'created' },
    ]);
    expect(await db.prisma.ticketCounter.findUnique({ where: { year: 2026 } })).toEqual({
      year: 2026,
      value: 1,
    });
  });

  it('appends a second message to the open ticket without another acknowledgement', async () => {
    const clock = fixedClock();
    const first = await receive(repos.inbox, citizenMessage(), clock);
    clock.advance(60_000);
    const second = await receive(
      repos.inbox,
      citizenMessage({ externalMessageId: '5001:2', text: 'ini KK saya' }),
      clock,
    );
    if (first.outcome !== 'stored' || second.outcome !== 'stored') throw new Error('expected stored');
    expect(second.ticketCreated).toBe(false);
    expect(second.ticket.id).toBe(first.ticket.id);
    expect(second.ticket.lastMessageAt).toEqual(clock.now());
    expect(second.replies).toEqual([]);
    expect(await db.prisma.message.count({ where: { direction: 'inbound' } })).toBe(2);
    expect(await deliveryJobs(db.prisma)).toHaveLength(1);
  });

  it('keeps the first banner code of a contact and opens ticket number 2 after the first is resolved', async () => {
    const first = await receive(repos.inbox, citizenMessage({ referralCode: 'beji--beji' }));
    if (first.outcome !== 'stored') throw new Error('expected stored');
    await repos.tickets.updateTicket(first.ticket.id, { status: 'resolved' });
    const next = await receive(
      repos.inbox,
      citizenMessage({ externalMessageId: '5001:9', referralCode: 'cinere--cinere' }),
    );
    if (next.outcome !== 'stored') throw new Error('expected stored');
    expect(next.ticketCreated).toBe(true);
    expect(next.ticket.number).toBe('DPK-2026-000002');
    expect(next.ticket.sourceCode).toBe('cinere--cinere');
    expect((await db.prisma.contact.findFirstOrThrow()).sourceCode).toBe('beji--beji');
  });

  it('reports a redelivered message as a duplicate and stores it once', async () => {
    const first = await receive(repos.inbox, citizenMessage());
    const again = await receive(repos.inbox, citizenMessage());
    if (first.outcome !== 'stored' || again.outcome !== 'duplicate')
      throw new Error('expected stored then duplicate');
    expect(again).toEqual({ outcome: 'duplicate', messageId: first.message.id, ticketId: first.ticket.id });
    expect(await db.prisma.message.count({ where: { externalId: '5001:1' } })).toBe(1);
  });

  it('stores 20 concurrent deliveries of one message exactly once, without an error', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => receive(repos.inbox, citizenMessage())),
    );
    expect(results.filter((r) => r.outcome === 'stored')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(19);
    expect(await db.prisma.message.count({ where: { direction: 'inbound' } })).toBe(1);
    expect(await db.prisma.ticket.count()).toBe(1);
    expect(await deliveryJobs(db.prisma)).toHaveLength(1);
  });

  it('opens one ticket when a new citizen sends several messages at the same moment', async () => {
    const messages = Array.from({ length: 8 }, (_, i) =>
      citizenMessage({ externalMessageId: `5001:${i + 1}` }),
    );
    const results = await Promise.all(messages.map((message) => receive(repos.inbox, message)));
    const stored = results.filter((r) => r.outcome === 'stored');
    expect(stored).toHaveLength(8);
    expect(stored.filter((r) => r.ticketCreated)).toHaveLength(1);
    expect(new Set(stored.map((r) => r.ticket.id)).size).toBe(1);
    expect(await db.prisma.contact.count()).toBe(1);
    expect(await db.prisma.ticket.count()).toBe(1);
    expect(await db.prisma.message.count({ where: { direction: 'inbound' } })).toBe(8);
    expect(await deliveryJobs(db.prisma)).toHaveLength(1);
  });

  it('numbers tickets of different citizens arriving together without gaps or repeats', async () => {
    const messages = Array.from({ length: 10 }, (_, i) =>
      citizenMessage({
        externalMessageId: `${7000 + i}:1`,
        externalUserId: `${7000 + i}`,
        externalThreadId: `${7000 + i}`,
      }),
    );
    await Promise.all(messages.map((message) => receive(repos.inbox, message)));
    const numbers = (await db.prisma.ticket.findMany({ select: { number: true } }))
      .map((t) => t.number)
      .sort();
    expect(numbers).toEqual(
      Array.from({ length: 10 }, (_, i) => `DPK-2026-${String(i + 1).padStart(6, '0')}`),
    );
  });

  it('stores attachments in the order sent, with the message', async () => {
    const message = {
      ...citizenMessage(),
      attachments: [
        {
          kind: 'image' as const,
          mime: 'image/jpeg',
          name: 'ktp.jpg',
          size: 1200,
          storageKey: 'a/1',
          error: null,
        },
        {
          kind: 'document' as const,
          mime: 'application/pdf',
          name: 'kk.pdf',
          size: 5000,
          storageKey: null,
          error: 'too big',
        },
      ],
    };
    const result = await receive(repos.inbox, message);
    if (result.outcome !== 'stored') throw new Error('expected stored');
    const [stored] = await repos.tickets.listMessages(result.ticket.id);
    expect(stored?.attachments).toMatchObject([
      { kind: 'image', name: 'ktp.jpg', storageKey: 'a/1', error: null },
      { kind: 'document', name: 'kk.pdf', storageKey: null, error: 'too big' },
    ]);
  });

  it('queues an officer reply with its job in one transaction, and refuses a closed ticket', async () => {
    const first = await receive(repos.inbox, citizenMessage());
    if (first.outcome !== 'stored') throw new Error('expected stored');
    const officer = await repos.users.create({
      name: 'Ani',
      email: 'ani@depok.go.id',
      role: 'officer',
      tokenHash: 'h1',
    });
    const clock = fixedClock(new Date(NOW.getTime() + 5 * 60_000));
    const reply = await replyToTicket({
      store: repos.inbox,
      clock,
      ticketId: first.ticket.id,
      authorId: officer.id,
      text: 'Baik, Bu',
    });
    expect(reply).toMatchObject({
      direction: 'outbound',
      deliveryStatus: 'queued',
      authorId: officer.id,
      automated: false,
    });
    expect((await deliveryJobs(db.prisma)).filter((job) => job.messageId === reply.id)).toHaveLength(1);
    expect((await repos.tickets.getTicket(first.ticket.id))?.lastMessageAt).toEqual(clock.now());

    await repos.tickets.updateTicket(first.ticket.id, { status: 'closed' });
    await expect(
      replyToTicket({
        store: repos.inbox,
        clock,
        ticketId: first.ticket.id,
        authorId: officer.id,
        text: 'lagi',
      }),
    ).rejects.toMatchObject({ code: 'TICKET_CLOSED' });
    await expect(
      replyToTicket({
        store: repos.inbox,
        clock,
        ticketId: 'no-such-ticket',
        authorId: officer.id,
        text: 'x',
      }),
    ).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' });
  });
});
