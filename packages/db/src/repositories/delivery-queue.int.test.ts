import { type ChannelName, replyToTicket } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, fixedClock, NOW, receive } from './test-fixtures.ts';

const LEASE = 10 * 60_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('DeliveryQueue on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db.prisma);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  /** A ticket with its queued acknowledgement, plus an officer's queued reply a minute later. */
  async function ticketWithReply() {
    const received = await receive(repos.inbox, citizenMessage());
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const officer = await repos.users.create({
      name: 'Ani',
      email: `ani-${Math.random()}@x.id`,
      role: 'officer',
      tokenHash: `h-${Math.random()}`,
    });
    const reply = await replyToTicket({
      store: repos.inbox,
      clock: fixedClock(later(60_000)),
      ticketId: received.ticket.id,
      authorId: officer.id,
      text: 'Silakan datang hari Senin',
    });
    return { ticket: received.ticket, ack: received.replies[0]!, reply };
  }

  const claim = (at: Date, channels: ChannelName[] = ['telegram'], limit = 10) =>
    repos.deliveryQueue.claimDue({ now: at, limit, leaseMs: LEASE, channels });

  it('claims due jobs in queue order with what the sender needs, and leases them', async () => {
    const { ticket, ack, reply } = await ticketWithReply();
    expect(await claim(NOW)).toMatchObject([{ messageId: ack.id }]); // the reply is not due yet
    const tasks = await claim(later(60_000));
    expect(tasks).toEqual([
      {
        jobId: expect.any(String),
        messageId: reply.id,
        ticketId: ticket.id,
        channel: 'telegram',
        threadId: '5001',
        text: 'Silakan datang hari Senin',
        attachments: [],
        automated: false,
        attempts: 0,
        queuedAt: expect.any(Date),
      },
    ]);
    expect(await claim(later(90_000))).toEqual([]); // both leased
    expect(await claim(later(90_000), ['whatsapp'])).toEqual([]);
    expect(
      await repos.deliveryQueue.claimDue({ now: later(90_000), limit: 10, leaseMs: LEASE, channels: [] }),
    ).toEqual([]);
  });

  it('gives an expired lease to the next worker and counts the attempt', async () => {
    const { ack } = await ticketWithReply();
    const [first] = await claim(NOW);
    expect(first).toMatchObject({ messageId: ack.id, attempts: 0 });
    const [again] = await claim(later(LEASE + 1));
    expect(again).toMatchObject({ messageId: ack.id, attempts: 1 });
  });

  it('never hands the same job to two workers claiming at once', async () => {
    for (let i = 0; i < 12; i += 1) {
      await receive(
        repos.inbox,
        citizenMessage({
          externalMessageId: `${8000 + i}:1`,
          externalUserId: `${8000 + i}`,
          externalThreadId: `${8000 + i}`,
        }),
      );
    }
    const batches = await Promise.all(Array.from({ length: 4 }, () => claim(later(1), ['telegram'], 5)));
    const ids = batches.flat().map((task) => task.jobId);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('marks an officer reply sent and starts nothing for the acknowledgement', async () => {
    const { ticket } = await ticketWithReply();
    const [ackTask] = await claim(NOW);
    await repos.deliveryQueue.markSent(ackTask!, { externalId: '5001:100', sentAt: later(1000) });
    expect((await repos.tickets.getTicket(ticket.id))?.firstRespondedAt).toBeNull();

    const [replyTask] = await claim(later(60_000));
    await repos.deliveryQueue.markSent(replyTask!, { externalId: '5001:101', sentAt: later(61_000) });
    const messages = await repos.tickets.listMessages(ticket.id);
    expect(messages.filter((m) => m.direction === 'outbound')).toMatchObject([
      { automated: true, deliveryStatus: 'sent', externalId: '5001:100', sentAt: later(1000) },
      { automated: false, deliveryStatus: 'sent', externalId: '5001:101', sentAt: later(61_000) },
    ]);
    expect((await repos.tickets.getTicket(ticket.id))?.firstRespondedAt).toEqual(later(61_000));
    expect(await db.prisma.deliveryJob.count({ where: { status: 'done', lockedUntil: null } })).toBe(2);
  });

  it('keeps the first response time when a later reply is sent', async () => {
    const { ticket } = await ticketWithReply();
    const officer = await repos.users.create({
      name: 'Budi',
      email: 'budi@x.id',
      role: 'officer',
      tokenHash: 'hb',
    });
    await replyToTicket({
      store: repos.inbox,
      clock: fixedClock(later(120_000)),
      ticketId: ticket.id,
      authorId: officer.id,
      text: 'Tambahan',
    });
    const tasks = await claim(later(120_000));
    expect(tasks.map((t) => t.automated)).toEqual([true, false, false]);
    await repos.deliveryQueue.markSent(tasks[1]!, { externalId: 'a', sentAt: later(130_000) });
    await repos.deliveryQueue.markSent(tasks[2]!, { externalId: 'b', sentAt: later(140_000) });
    expect((await repos.tickets.getTicket(ticket.id))?.firstRespondedAt).toEqual(later(130_000));
  });

  it('puts a job back for later, then marks it failed with the reason on the message', async () => {
    const { ack } = await ticketWithReply();
    const [task] = await claim(NOW);
    await repos.deliveryQueue.retryLater(task!, { runAt: later(30_000), error: 'HTTP 429' });
    expect(await claim(later(29_000))).toEqual([]);
    expect(await db.prisma.deliveryJob.findUniqueOrThrow({ where: { id: task!.jobId } })).toMatchObject({
      status: 'queued',
      lastError: 'HTTP 429',
      lockedUntil: null,
      attempts: 1,
    });
    const [retried] = await claim(later(30_000));
    expect(retried).toMatchObject({ jobId: task!.jobId, attempts: 1 });
    await repos.deliveryQueue.markFailed(retried!, { error: 'chat not found', at: later(31_000) });
    expect(await db.prisma.deliveryJob.findUniqueOrThrow({ where: { id: task!.jobId } })).toMatchObject({
      status: 'failed',
      lastError: 'chat not found',
    });
    const message = (await repos.tickets.listMessages(retried!.ticketId)).find((m) => m.id === ack.id);
    expect(message).toMatchObject({ deliveryStatus: 'failed', error: 'chat not found', sentAt: null });
    expect(await claim(later(10 * LEASE))).toMatchObject([{ automated: false }]); // only the reply remains
  });
  const statusOf = async (ticketId: string, messageId: string) =>
    (await repos.tickets.listMessages(ticketId)).find((m) => m.id === messageId);

  it('moves a sent message forward on platform reports, never back, each report stored once', async () => {
    const { ack } = await ticketWithReply();
    const [task] = await claim(NOW);
    await repos.deliveryQueue.markSent(task!, { externalId: 'wamid.A', sentAt: later(1000) });
    const report = (status: 'sent' | 'delivered' | 'read' | 'failed', at: number, error?: string) =>
      repos.deliveryQueue.recordReceipt('telegram', {
        externalMessageId: 'wamid.A',
        status,
        at: later(at),
        ...(error ? { error } : {}),
      });
    expect(await report('read', 3000)).toEqual({ applied: true });
    expect(await report('delivered', 2000)).toEqual({ applied: false }); // late, out of order
    expect(await report('read', 3000)).toEqual({ applied: false }); // redelivered webhook
    expect(await statusOf(task!.ticketId, ack.id)).toMatchObject({ deliveryStatus: 'read', error: null });
    expect(await db.prisma.deliveryReceipt.count({ where: { externalId: 'wamid.A' } })).toBe(2);
  });

  it('marks a sent message failed with the platform’s reason', async () => {
    const { ack } = await ticketWithReply();
    const [task] = await claim(NOW);
    await repos.deliveryQueue.markSent(task!, { externalId: 'wamid.B', sentAt: later(1000) });
    await repos.deliveryQueue.recordReceipt('telegram', {
      externalMessageId: 'wamid.B',
      status: 'failed',
      at: later(2000),
      error: 'Message undeliverable (131026)',
    });
    expect(await statusOf(task!.ticketId, ack.id)).toMatchObject({
      deliveryStatus: 'failed',
      error: 'Message undeliverable (131026)',
    });
  });

  it('applies a report that arrived before the send was recorded, and keeps a send warning', async () => {
    const { ack } = await ticketWithReply();
    const [task] = await claim(NOW);
    expect(
      await repos.deliveryQueue.recordReceipt('telegram', {
        externalMessageId: 'wamid.C',
        status: 'delivered',
        at: later(900),
      }),
    ).toEqual({ applied: false });
    await repos.deliveryQueue.markSent(task!, {
      externalId: 'wamid.C',
      sentAt: later(1000),
      warning: 'surat.pdf was sent as a text: Instagram DMs cannot carry documents',
    });
    expect(await statusOf(task!.ticketId, ack.id)).toMatchObject({
      deliveryStatus: 'delivered',
      error: 'surat.pdf was sent as a text: Instagram DMs cannot carry documents',
    });
  });
  it('hands the sender the files an officer attached, in order', async () => {
    const received = await receive(repos.inbox, citizenMessage());
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const officer = await repos.users.create({
      name: 'Ani',
      email: 'ani-files@x.id',
      role: 'officer',
      tokenHash: 'h-files',
    });
    const file = (name: string, storageKey: string) =>
      ({ kind: 'document', mime: 'application/pdf', name, size: 10, storageKey, error: null }) as const;
    const reply = await replyToTicket({
      store: repos.inbox,
      clock: fixedClock(NOW),
      ticketId: received.ticket.id,
      authorId: officer.id,
      text: 'Formulir terlampir',
      attachments: [file('f1-01.pdf', 'aa/1'), file('surat-kuasa.pdf', 'bb/2')],
    });
    const tasks = await claim(NOW);
    expect(tasks.find((t) => t.messageId === reply.id)?.attachments).toEqual([
      { name: 'f1-01.pdf', mime: 'application/pdf', storageKey: 'aa/1' },
      { name: 'surat-kuasa.pdf', mime: 'application/pdf', storageKey: 'bb/2' },
    ]);
    expect(tasks.find((t) => t.messageId === received.replies[0]?.id)?.attachments).toEqual([]);
  });
});
