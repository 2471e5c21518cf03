import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEFAULT_OFFICE_POLICY,
  type Message,
  mergeOfficePolicy,
  replyToTicket,
  silentLogger,
  systemClock,
} from '@loket/core';
import { createRepositories, openTestDatabase, type TestDatabase, testDatabaseKinds } from '@loket/db';
import {
  type FakeTelegram,
  photoMessageUpdate,
  startFakeTelegram,
  telegramFailures,
  waitUntil,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Gateway, startGateway } from '../src/index.ts';
import { fakeTelegramFactories } from './fake-telegram-factories.ts';

// Open around the clock: the tests run at any hour and expect one acknowledgement per new ticket.
const ALWAYS_OPEN = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
  serviceHours: { days: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '24:00' },
});

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('gateway with Telegram on %s', (kind) => {
  let db: TestDatabase;
  let repos: ReturnType<typeof createRepositories>;
  let fake: FakeTelegram;
  let gateway: Gateway;
  let mediaDir: string;

  beforeEach(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    repos = createRepositories(db);
    fake = await startFakeTelegram();
    mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-media-'));
    gateway = await startGateway({
      jobs: await db.jobRunner(),
      store: repos.inbox,
      deliveryQueue: repos.deliveryQueue,
      channelSettings: repos.channelSettings,
      policy: { current: async () => ALWAYS_OPEN },
      clock: systemClock,
      logger: silentLogger,
      factories: fakeTelegramFactories(fake),
      mediaDir,
      maxAttachmentBytes: 50_000,
      deliveryPollIntervalMs: 100,
    });
  });
  afterEach(async () => {
    await gateway.stop();
    await fake.close();
    await db.close();
    await rm(mediaDir, { recursive: true, force: true });
  });

  const ticketMessages = async (): Promise<Message[]> => {
    const { items } = await repos.tickets.listTickets({ limit: 10 });
    return items[0] ? repos.tickets.listMessages(items[0].id) : [];
  };
  const statusOf = async () => (await repos.channelSettings.list()).find((c) => c.channel === 'telegram');

  it('starts and stops a channel at runtime and records its status', async () => {
    expect(gateway.supervisor.runningChannels()).toEqual([]);
    await gateway.supervisor.setEnabled('telegram', true);
    await waitUntil(async () => (await statusOf())?.status === 'connected');
    expect(gateway.supervisor.runningChannels()).toEqual(['telegram']);
    await gateway.supervisor.setEnabled('telegram', false);
    expect(await statusOf()).toMatchObject({ enabled: false, status: 'disabled' });
    expect(gateway.supervisor.runningChannels()).toEqual([]);
    await expect(gateway.supervisor.setEnabled('whatsapp', true)).rejects.toMatchObject({
      code: 'CHANNEL_NOT_CONFIGURED',
    });
  });

  it('keeps a photo under DATA_DIR/media and refuses one over the limit, storing the message either way', async () => {
    await gateway.supervisor.setEnabled('telegram', true);
    const from = { id: 777, firstName: 'Rina' };
    fake.addFile('small-photo', new Uint8Array(1000).fill(7), 'photos/small.jpg');
    fake.pushUpdate(
      photoMessageUpdate({
        from,
        fileId: 'small-photo',
        caption: 'foto KTP saya',
        sizes: [{ width: 320, height: 240, fileSize: 1000 }],
      }),
    );
    fake.addFile('big-photo', new Uint8Array(60_000).fill(9), 'photos/big.jpg');
    fake.pushUpdate(
      photoMessageUpdate({
        from,
        fileId: 'big-photo',
        sizes: [{ width: 2000, height: 1500, fileSize: 60_000 }],
      }),
    );
    await waitUntil(
      async () => (await ticketMessages()).filter((m) => m.direction === 'inbound').length === 2,
      {
        timeoutMs: 10_000,
      },
    );
    const [small, big] = (await ticketMessages()).filter((m) => m.direction === 'inbound');
    expect(small?.text).toBe('foto KTP saya');
    expect(small?.attachments[0]).toMatchObject({ kind: 'image', size: 1000, error: null });
    expect(small?.attachments[0]?.storageKey).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}$/);
    const kept = await gateway.media.get(small?.attachments[0]?.storageKey ?? '');
    expect(kept?.byteLength).toBe(1000);
    expect(big?.attachments[0]).toMatchObject({ kind: 'image', storageKey: null });
    expect(big?.attachments[0]?.error).toMatch(/large|limit|exceed/i);
    expect((await readdir(mediaDir)).length).toBe(1);
  });

  it('marks a reply to a citizen who blocked the bot as failed, with the reason', async () => {
    await gateway.supervisor.setEnabled('telegram', true);
    fake.pushTextMessage({ fromId: 888, firstName: 'Agus', text: 'mau urus akta kelahiran' });
    await waitUntil(
      async () => (await ticketMessages()).some((m) => m.automated && m.deliveryStatus === 'sent'),
      {
        timeoutMs: 10_000,
      },
    );
    const { items } = await repos.tickets.listTickets({ limit: 1 });
    fake.failNext('sendMessage', telegramFailures.botBlocked());
    const reply = await replyToTicket({
      store: repos.inbox,
      clock: systemClock,
      ticketId: items[0]?.id ?? '',
      authorId: (await repos.users.create({ name: 'O', email: 'o@x.id', role: 'officer', tokenHash: 'h' }))
        .id,
      text: 'Selamat siang Pak Agus',
    });
    gateway.delivery.wake();
    await waitUntil(
      async () => (await ticketMessages()).find((m) => m.id === reply.id)?.deliveryStatus === 'failed',
      {
        timeoutMs: 10_000,
      },
    );
    const failed = (await ticketMessages()).find((m) => m.id === reply.id);
    expect(failed?.error).toContain('blocked');
    expect((await repos.tickets.getTicket(items[0]?.id ?? ''))?.firstRespondedAt).toBeNull();
  });

  it('keeps replies queued while the channel is off and sends them when it is back', async () => {
    await gateway.supervisor.setEnabled('telegram', true);
    fake.pushTextMessage({ fromId: 999, firstName: 'Wati', text: 'mau urus akta kelahiran' });
    await waitUntil(
      async () => (await ticketMessages()).some((m) => m.automated && m.deliveryStatus === 'sent'),
      {
        timeoutMs: 10_000,
      },
    );
    await gateway.supervisor.setEnabled('telegram', false);
    const { items } = await repos.tickets.listTickets({ limit: 1 });
    const user = await repos.users.create({ name: 'P', email: 'p@x.id', role: 'officer', tokenHash: 'h2' });
    const reply = await replyToTicket({
      store: repos.inbox,
      clock: systemClock,
      ticketId: items[0]?.id ?? '',
      authorId: user.id,
      text: 'Mohon maaf menunggu',
    });
    gateway.delivery.wake();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await ticketMessages()).find((m) => m.id === reply.id)?.deliveryStatus).toBe('queued');
    await gateway.supervisor.setEnabled('telegram', true);
    await waitUntil(
      async () => (await ticketMessages()).find((m) => m.id === reply.id)?.deliveryStatus === 'sent',
      {
        timeoutMs: 10_000,
      },
    );
    expect(fake.sent.filter((s) => s.text === 'Mohon maaf menunggu')).toHaveLength(1);
  });
  it('sends the file an officer attached as a document, and fails visibly when the file is gone', async () => {
    await gateway.supervisor.setEnabled('telegram', true);
    fake.pushTextMessage({ fromId: 777, firstName: 'Rina', text: 'minta formulir F-1.01' });
    await waitUntil(async () => (await ticketMessages()).some((m) => m.deliveryStatus === 'sent'), {
      timeoutMs: 10_000,
    });
    const { items } = await repos.tickets.listTickets({ limit: 1 });
    const officer = await repos.users.create({
      name: 'Q',
      email: 'q@x.id',
      role: 'officer',
      tokenHash: 'h3',
    });
    const pdf = new TextEncoder().encode('%PDF-1.4 formulir');
    const document = (storageKey: string) => ({
      kind: 'document' as const,
      mime: 'application/pdf',
      name: 'formulir-F1.01.pdf',
      size: pdf.byteLength,
      storageKey,
      error: null,
    });
    const reply = (text: string, storageKey: string) =>
      replyToTicket({
        store: repos.inbox,
        clock: systemClock,
        ticketId: items[0]?.id ?? '',
        authorId: officer.id,
        text,
        attachments: [document(storageKey)],
      });
    const withFile = await reply('Formulir terlampir', await gateway.media.put(pdf));
    const lostFile = await reply('Ini juga', `ab/${'0'.repeat(64)}`);
    gateway.delivery.wake();
    await waitUntil(
      async () =>
        (await ticketMessages()).filter(
          (m) => [withFile.id, lostFile.id].includes(m.id) && m.deliveryStatus !== 'queued',
        ).length === 2,
      { timeoutMs: 10_000 },
    );
    const sentDocument = fake.sent.find((s) => s.method === 'sendDocument')?.document;
    expect(sentDocument).toMatchObject({ kind: 'upload', fileName: 'formulir-F1.01.pdf', bytes: pdf });
    const lost = (await ticketMessages()).find((m) => m.id === lostFile.id);
    expect(lost).toMatchObject({ deliveryStatus: 'failed' });
    expect(lost?.error).toContain('formulir-F1.01.pdf is missing');
    expect(fake.sent.some((s) => s.text === 'Ini juga')).toBe(false);
  });
});
