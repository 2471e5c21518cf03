import { beforeEach, describe, expect, it } from 'vitest';
import { replyWindowsFor } from '../src/channel/reply-window.ts';
import type { InboundMessage } from '../src/channel/types.ts';
import { DomainError } from '../src/errors.ts';
import { DEFAULT_OFFICE_POLICY } from '../src/policy/office-policy.ts';
import { addNote } from '../src/tickets/add-note.ts';
import { type ReceivedMessage, receiveMessage } from '../src/tickets/receive-message.ts';
import { replyToTicket } from '../src/tickets/reply-to-ticket.ts';
import { toTicketView } from '../src/tickets/ticket-view.ts';
import { MemoryInboxStore } from './memory-inbox-store.ts';

// Monday 2 March 2026, 09:00 WIB.
const now = new Date('2026-03-02T02:00:00Z');
const clock = { now: () => now };

function citizenMessage(overrides: Partial<InboundMessage> = {}): ReceivedMessage {
  return {
    channel: 'telegram',
    externalMessageId: '5001:1',
    externalUserId: '5001',
    externalThreadId: '5001',
    displayName: 'Siti Aminah',
    sentAt: now,
    text: 'Selamat pagi, saya mau buat akta kelahiran anak saya',
    ...overrides,
    attachments: [],
  };
}

describe('receiveMessage', () => {
  let store: MemoryInboxStore;
  beforeEach(() => {
    store = new MemoryInboxStore();
  });
  const receive = (message: ReceivedMessage) =>
    receiveMessage({ store, clock, policy: DEFAULT_OFFICE_POLICY, message });

  it('opens a ticket with a human number, the SLA clock and a queued Indonesian acknowledgement', async () => {
    const result = await receive(citizenMessage());
    if (result.outcome !== 'stored') throw new Error('expected stored');
    expect(result.ticketCreated).toBe(true);
    expect(result.ticket).toMatchObject({
      number: 'DPK-2026-000001',
      status: 'open',
      service: 'AKTA_KELAHIRAN',
      contactName: 'Siti Aminah',
      firstResponseDueAt: new Date(now.getTime() + 72 * 3_600_000),
      firstRespondedAt: null,
    });
    expect(result.message).toMatchObject({ direction: 'inbound', externalId: '5001:1' });
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]).toMatchObject({
      direction: 'outbound',
      automated: true,
      deliveryStatus: 'queued',
    });
    expect(result.replies[0]?.text).toContain('DPK-2026-000001');
    expect(result.replies[0]?.text).toContain('3x24 jam');
    expect(store.state.jobs).toEqual([{ messageId: result.replies[0]?.id, channel: 'telegram' }]);
  });

  it('reuses the open ticket for the next message and does not acknowledge again', async () => {
    await receive(citizenMessage());
    const second = await receive(citizenMessage({ externalMessageId: '5001:2', text: 'ini foto KK saya' }));
    if (second.outcome !== 'stored') throw new Error('expected stored');
    expect(second.ticketCreated).toBe(false);
    expect(second.replies).toEqual([]);
    expect(store.state.tickets).toHaveLength(1);
    expect(store.state.messages.filter((m) => m.direction === 'inbound')).toHaveLength(2);
  });

  it('stores a redelivered message once', async () => {
    const first = await receive(citizenMessage());
    const again = await receive(citizenMessage());
    expect(again.outcome).toBe('duplicate');
    if (first.outcome === 'stored' && again.outcome === 'duplicate')
      expect(again.messageId).toBe(first.message.id);
    expect(store.state.messages.filter((m) => m.direction === 'inbound')).toHaveLength(1);
    expect(store.state.jobs).toHaveLength(1);
  });

  it('opens a new ticket after the previous one is resolved, numbered in sequence', async () => {
    await receive(citizenMessage());
    const ticket = store.state.tickets[0];
    if (ticket) ticket.status = 'resolved';
    const next = await receive(citizenMessage({ externalMessageId: '5001:9' }));
    if (next.outcome !== 'stored') throw new Error('expected stored');
    expect(next.ticket.number).toBe('DPK-2026-000002');
  });

  it('puts a pending ticket back to open when the citizen writes', async () => {
    await receive(citizenMessage());
    const ticket = store.state.tickets[0];
    if (ticket) ticket.status = 'pending';
    await receive(citizenMessage({ externalMessageId: '5001:3' }));
    expect(store.state.tickets[0]?.status).toBe('open');
  });

  it('keeps the banner code as the source and numbers by the year in WIB', async () => {
    // 31 Dec 2026 23:30 UTC is already 1 Jan 2027 in Jakarta.
    const newYear = new Date('2026-12-31T23:30:00Z');
    const result = await receiveMessage({
      store,
      clock: { now: () => newYear },
      policy: DEFAULT_OFFICE_POLICY,
      message: citizenMessage({ referralCode: 'beji--kukusan', text: '/start' }),
    });
    if (result.outcome !== 'stored') throw new Error('expected stored');
    expect(result.ticket.number).toBe('DPK-2027-000001');
    expect(result.ticket.sourceCode).toBe('beji--kukusan');
    expect(store.state.contacts[0]?.sourceCode).toBe('beji--kukusan');
    expect(result.message.extra).toEqual({ referralCode: 'beji--kukusan' });
  });
});

describe('replies and notes', () => {
  it('queues an officer reply with a delivery job, and a note with none', async () => {
    const store = new MemoryInboxStore();
    const received = await receiveMessage({
      store,
      clock,
      policy: DEFAULT_OFFICE_POLICY,
      message: citizenMessage(),
    });
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const reply = await replyToTicket({
      store,
      clock,
      ticketId: received.ticket.id,
      authorId: 'u1',
      text: 'Baik Bu',
    });
    expect(reply).toMatchObject({
      direction: 'outbound',
      deliveryStatus: 'queued',
      automated: false,
      authorId: 'u1',
    });
    const note = await addNote({
      store,
      clock,
      ticketId: received.ticket.id,
      authorId: 'u1',
      text: 'cek berkas',
    });
    expect(note).toMatchObject({ direction: 'note', deliveryStatus: null });
    expect(store.state.jobs.map((j) => j.messageId)).toEqual([received.replies[0]?.id, reply.id]);
  });

  it('refuses a reply to an unknown or closed ticket', async () => {
    const store = new MemoryInboxStore();
    await expect(
      replyToTicket({ store, clock, ticketId: 'nope', authorId: 'u1', text: 'x' }),
    ).rejects.toThrow(DomainError);
    const received = await receiveMessage({
      store,
      clock,
      policy: DEFAULT_OFFICE_POLICY,
      message: citizenMessage(),
    });
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const ticket = store.state.tickets[0];
    if (ticket) ticket.status = 'closed';
    await expect(
      replyToTicket({ store, clock, ticketId: received.ticket.id, authorId: 'u1', text: 'x' }),
    ).rejects.toMatchObject({ code: 'TICKET_CLOSED' });
  });
  it('refuses a reply once the channel’s reply window has closed, counted from the citizen’s own time', async () => {
    const store = new MemoryInboxStore();
    const windows = replyWindowsFor({ instagramHumanAgentTag: false });
    const sentAt = new Date(now.getTime() - 60 * 60_000); // written an hour before it reached us
    const received = await receiveMessage({
      store,
      clock,
      policy: DEFAULT_OFFICE_POLICY,
      message: citizenMessage({ channel: 'whatsapp-cloud', externalThreadId: '6281', sentAt }),
    });
    if (received.outcome !== 'stored') throw new Error('expected stored');
    const ticketId = received.ticket.id;
    expect(store.state.tickets[0]?.lastInboundAt).toEqual(sentAt);
    const endsAt = new Date(sentAt.getTime() + 24 * 3_600_000);
    const at = (time: Date) => ({ now: () => time });
    const reply = (time: Date) =>
      replyToTicket({ store, clock: at(time), ticketId, authorId: 'u1', text: 'x', replyWindows: windows });
    await expect(reply(new Date(endsAt.getTime() - 1))).resolves.toMatchObject({ direction: 'outbound' });
    await expect(reply(endsAt)).rejects.toMatchObject({ code: 'REPLY_WINDOW_CLOSED' });
    const ticket = store.state.tickets[0];
    if (!ticket) throw new Error('no ticket');
    expect(toTicketView(ticket, now, windows).replyWindowEndsAt).toEqual(endsAt);
    expect(toTicketView({ ...ticket, channel: 'telegram' }, now, windows).replyWindowEndsAt).toBeNull();
  });
});
