import { beforeEach, describe, expect, it } from 'vitest';
import { rememberReferral } from '../src/banners/remember-referral.ts';
import type { InboundMessage } from '../src/channel/types.ts';
import { DEFAULT_OFFICE_POLICY } from '../src/policy/office-policy.ts';
import { type ReceivedMessage, receiveMessage } from '../src/tickets/receive-message.ts';
import { MemoryInboxStore } from './memory-inbox-store.ts';

// Monday 2 March 2026, 09:00 WIB.
const now = new Date('2026-03-02T02:00:00Z');

function whatsappMessage(id: string, overrides: Partial<InboundMessage> = {}): ReceivedMessage {
  return {
    channel: 'whatsapp',
    externalMessageId: id,
    externalUserId: '6281234567890@s.whatsapp.net',
    externalThreadId: '6281234567890@s.whatsapp.net',
    displayName: 'Siti Aminah',
    sentAt: now,
    text: 'halo',
    ...overrides,
    attachments: [],
  };
}

describe('kelurahan banner attribution in receiveMessage', () => {
  let store: MemoryInboxStore;
  beforeEach(() => {
    store = new MemoryInboxStore();
  });
  const receive = async (message: ReceivedMessage) => {
    const result = await receiveMessage({
      store,
      clock: { now: () => now },
      policy: DEFAULT_OFFICE_POLICY,
      message,
    });
    if (result.outcome !== 'stored') throw new Error('expected stored');
    return result;
  };

  it("takes the code from the banner's prefilled WhatsApp text, edited or not", async () => {
    const result = await receive(
      whatsappMessage('w1', {
        text: 'Halo Disdukcapil Kota Depok, saya mau bertanya. (Kode: sawangan--pengasinan) syarat KIA apa?',
      }),
    );
    expect(result.ticket.sourceCode).toBe('sawangan--pengasinan');
    expect(store.state.contacts[0]?.sourceCode).toBe('sawangan--pengasinan');
  });

  it('stores no source for an unknown referral or code', async () => {
    const result = await receive(
      whatsappMessage('w1', { referralCode: 'KEL-ATLANTIS', text: 'Kode: beji--x' }),
    );
    expect(result.ticket.sourceCode).toBeNull();
    expect(store.state.contacts[0]?.sourceCode).toBeNull();
  });

  it("keeps the contact's first kelurahan and gives a later ticket the banner that brought it", async () => {
    const first = await receive(whatsappMessage('w1', { text: 'Kode: beji--kukusan' }));
    const ticket = store.state.tickets.find((t) => t.id === first.ticket.id);
    if (ticket) ticket.status = 'resolved';
    const second = await receive(whatsappMessage('w2', { text: 'Kode: cinere--gandul, mau tanya lagi' }));
    expect(second.ticketCreated).toBe(true);
    expect(second.ticket.sourceCode).toBe('cinere--gandul');
    expect(store.state.contacts[0]?.sourceCode).toBe('beji--kukusan');
    // A ticket without a code of its own is credited to the contact's first banner.
    const ticket2 = store.state.tickets.find((t) => t.id === second.ticket.id);
    if (ticket2) ticket2.status = 'resolved';
    const third = await receive(whatsappMessage('w3', { text: 'halo lagi' }));
    expect(third.ticket.sourceCode).toBe('beji--kukusan');
  });

  it('sets the source of a contact that had none from a code in a later message', async () => {
    await receive(whatsappMessage('w1', { text: 'halo' }));
    expect(store.state.contacts[0]?.sourceCode).toBeNull();
    await receive(whatsappMessage('w2', { text: 'oh iya, Kode: tapos--cilangkap' }));
    expect(store.state.contacts[0]?.sourceCode).toBe('tapos--cilangkap');
  });
});

describe('a referral remembered before the first message (rememberReferral)', () => {
  let store: MemoryInboxStore;
  beforeEach(() => {
    store = new MemoryInboxStore();
  });
  const igsid = '6543210987654321';
  const remember = (referralCode: string) =>
    rememberReferral({
      store,
      referral: {
        channel: 'instagram-graph',
        externalUserId: igsid,
        displayName: 'Siti',
        referralCode,
        sentAt: now,
      },
    });
  const receive = (id: string, overrides: Partial<InboundMessage> = {}) =>
    receiveMessage({
      store,
      clock: { now: () => now },
      policy: DEFAULT_OFFICE_POLICY,
      message: whatsappMessage(id, {
        channel: 'instagram-graph',
        externalUserId: igsid,
        externalThreadId: igsid,
        ...overrides,
      }),
    });

  it('keeps a known code on a new contact, opens no ticket, and credits the first message', async () => {
    expect(await remember('BEJI--Kukusan')).toMatchObject({
      outcome: 'remembered',
      sourceCode: 'beji--kukusan',
    });
    expect(store.state.tickets).toEqual([]);
    expect(store.state.messages).toEqual([]);
    expect(store.state.contacts.map((c) => c.sourceCode)).toEqual(['beji--kukusan']);
    const result = await receive('m1');
    expect(result).toMatchObject({ outcome: 'stored', ticket: { sourceCode: 'beji--kukusan' } });
    expect(store.state.contacts).toHaveLength(1);
  });

  it('ignores an unknown code, and a redelivery or a later banner changes nothing', async () => {
    expect(await remember('KEL-ATLANTIS')).toEqual({ outcome: 'unknown-code' });
    expect(store.state.contacts).toEqual([]);
    await remember('beji--kukusan');
    const before = structuredClone(store.state.contacts);
    expect(await remember('beji--kukusan')).toMatchObject({ sourceCode: 'beji--kukusan' });
    expect(await remember('cinere--gandul')).toMatchObject({ sourceCode: 'beji--kukusan' });
    expect(store.state.contacts).toEqual(before);
  });

  it('lets a code on the message itself name the ticket, the contact keeping the remembered one', async () => {
    await remember('beji--kukusan');
    const result = await receive('m1', { referralCode: 'cinere--gandul' });
    expect(result).toMatchObject({ ticket: { sourceCode: 'cinere--gandul' } });
    expect(store.state.contacts[0]?.sourceCode).toBe('beji--kukusan');
  });
});
