import { type ChannelName, replyToTicket } from '@loket/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DELIVERY_DEAD_LETTER_QUEUE, insertJobs } from '../jobs/pg-boss-sql.ts';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createRepositories, type Repositories } from './create-repositories.ts';
import { citizenMessage, fixedClock, NOW, receive } from './test-fixtures.ts';

const later = (ms: number) => new Date(NOW.getTime() + ms);

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('DeliveryQueue on %s', (kind) => {
  let db: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
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

  const claim = (_at?: Date, channels: ChannelName[] = ['telegram'], limit = 10) =>
    repos.deliveryQueue.claimDue({ limit, channels });

  type JobRow = { name: string; state: string; data: Record<string, unknown>; output: unknown; due: boolean };
  const jobs = () =>
    db.prisma.$queryRaw<JobRow[]>`
      SELECT name, state::text AS state, data, output, start_after <= now() AS due
      FROM pgboss.job ORDER BY created_on, (data->>'attempts')::int`;

  it('claims due jobs in the order written, with what the sender needs, and leases them', async () => {
    const { ticket, ack, reply } = await ticketWithReply();
    const tasks = await claim();
    expect(tasks.map((task) => task.messageId)).toEqual([ack.id, reply.id]);
    expect(tasks[1]).toEqual({
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
    });
    expect(await claim()).toEqual([]); // both leased
    expect(await claim(undefined, ['whatsapp'])).toEqual([]);
    expect(await repos.deliveryQueue.claimDue({ limit: 10, channels: [] })).toEqual([]);
    expect((await jobs()).map((job) => job.state)).toEqual(['active', 'active']);
  });

  it('rolls the job back with the message it was queued with', async () => {
    const received = await receive(repos.inbox, citizenMessage());
    if (received.outcome !== 'stored') throw new Error('expected stored');
    await expect(
      repos.inbox.transaction(async (tx) => {
        await tx.queueDelivery({ messageId: received.replies[0]!.id, channel: 'telegram' });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await jobs()).toHaveLength(1); // the acknowledgement's, not a second one
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
    const [ackTask, replyTask] = await claim();
    await repos.deliveryQueue.markSent(ackTask!, { externalId: '5001:100', sentAt: later(1000) });
    expect((await repos.tickets.getTicket(ticket.id))?.firstRespondedAt).toBeNull();

    await repos.deliveryQueue.markSent(replyTask!, { externalId: '5001:101', sentAt: later(61_000) });
    const messages = await repos.tickets.listMessages(ticket.id);
    expect(messages.filter((m) => m.direction === 'outbound')).toMatchObject([
      { automated: true, deliveryStatus: 'sent', externalId: '5001:100', sentAt: later(1000) },
      { automated: false, deliveryStatus: 'sent', externalId: '5001:101', sentAt: later(61_000) },
    ]);
    expect((await repos.tickets.getTicket(ticket.id))?.firstRespondedAt).toEqual(later(61_000));
    expect((await jobs()).map((job) => [job.state, job.output])).toEqual([
      ['completed', { sent: '5001:100' }],
      ['completed', { sent: '5001:101' }],
    ]);
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

  it('puts a delivery back for later as a new job, then marks it failed with the reason on the message', async () => {
    const { ack } = await ticketWithReply();
    const [task, replyTask] = await claim();
    await repos.deliveryQueue.retryLater(task!, { delayMs: 30_000, error: 'HTTP 429' });
    await repos.deliveryQueue.retryLater(replyTask!, {
      delayMs: 0,
      error: 'channel stopped',
      attempted: false,
    });
    expect((await claim()).map((t) => [t.messageId, t.attempts])).toEqual([[replyTask!.messageId, 0]]);
    expect((await jobs()).filter((job) => job.data.messageId === ack.id)).toEqual([
      expect.objectContaining({ state: 'completed', output: { retryInMs: 30_000, error: 'HTTP 429' } }),
      expect.objectContaining({
        state: 'created',
        due: false,
        data: { messageId: ack.id, attempts: 1, lastError: 'HTTP 429' },
      }),
    ]);
    await db.prisma.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE state = 'created'`;
    const [retried] = await claim();
    expect(retried).toMatchObject({ messageId: ack.id, attempts: 1 });
    await repos.deliveryQueue.markFailed(retried!, { error: 'chat not found', at: later(31_000) });
    const message = (await repos.tickets.listMessages(retried!.ticketId)).find((m) => m.id === ack.id);
    expect(message).toMatchObject({ deliveryStatus: 'failed', error: 'chat not found', sentAt: null });
    expect((await jobs()).filter((job) => job.data.messageId === ack.id).at(-1)).toMatchObject({
      state: 'completed',
      output: { failed: 'chat not found' },
    });
  });

  it('finishes a job whose message is no longer queued without handing it out', async () => {
    const { ack } = await ticketWithReply();
    await db.prisma.message.update({ where: { id: ack.id }, data: { deliveryStatus: 'failed' } });
    expect((await claim()).map((task) => task.automated)).toEqual([false]);
    expect((await jobs()).find((job) => job.data.messageId === ack.id)).toMatchObject({
      state: 'completed',
      output: { skipped: 'message is failed' },
    });
  });

  it('hands out again, after the retry delay, what a dead runner of the channel still held', async () => {
    const { ack, reply } = await ticketWithReply();
    expect(await claim()).toHaveLength(2); // the runner that took them dies here
    expect(await repos.deliveryQueue.releaseClaimed('whatsapp')).toBe(0);
    expect(await repos.deliveryQueue.releaseClaimed('telegram')).toBe(2);
    expect((await jobs()).map((job) => [job.state, job.due])).toEqual([
      ['retry', false],
      ['retry', false],
    ]);
    await db.prisma.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE state = 'retry'`;
    expect((await claim()).map((task) => [task.messageId, task.attempts])).toEqual([
      [ack.id, 0],
      [reply.id, 0],
    ]);
  });

  it('fails, visibly, a delivery pg-boss gave up on', async () => {
    const { ack, reply } = await ticketWithReply();
    await db.prisma.message.update({ where: { id: reply.id }, data: { deliveryStatus: 'sent' } });
    await insertJobs(db.prisma, [
      {
        name: DELIVERY_DEAD_LETTER_QUEUE,
        data: { messageId: ack.id, attempts: 2, lastError: 'worker died' },
      },
      { name: DELIVERY_DEAD_LETTER_QUEUE, data: { messageId: reply.id, attempts: 0 } },
    ]);
    expect(await repos.deliveryQueue.failAbandoned({ limit: 10, at: later(5000) })).toBe(2);
    const messages = await repos.tickets.listMessages(ack.ticketId);
    expect(messages.find((m) => m.id === ack.id)).toMatchObject({
      deliveryStatus: 'failed',
      error: 'Loket could not finish sending it (worker died)',
    });
    expect(messages.find((m) => m.id === reply.id)).toMatchObject({ deliveryStatus: 'sent' });
    expect(await repos.deliveryQueue.failAbandoned({ limit: 10, at: later(6000) })).toBe(0);
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
