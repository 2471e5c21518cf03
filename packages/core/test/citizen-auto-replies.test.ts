import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../src/channel/types.ts';
import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy, type OfficePolicy } from '../src/policy/office-policy.ts';
import { receiveMessage } from '../src/tickets/receive-message.ts';
import { MemoryInboxStore } from './memory-inbox-store.ts';

// Times in WIB (UTC+7): Monday 2 March 2026.
const MONDAY_0900 = new Date('2026-03-02T02:00:00Z');
const MONDAY_1300 = new Date('2026-03-02T06:00:00Z');
const MONDAY_2000 = new Date('2026-03-02T13:00:00Z');
const TUESDAY_0800 = new Date('2026-03-03T01:00:00Z');
const TUESDAY_1300 = new Date('2026-03-03T06:00:00Z');
const FRIDAY_1500 = new Date('2026-03-06T08:00:00Z');

let sequence = 0;
function citizen(
  store: MemoryInboxStore,
  at: Date,
  text: string,
  policy: OfficePolicy = DEFAULT_OFFICE_POLICY,
  from = 'u1',
) {
  sequence += 1;
  const message: InboundMessage = {
    channel: 'telegram',
    externalMessageId: `m${sequence}`,
    externalUserId: from,
    externalThreadId: from,
    displayName: 'Warga',
    sentAt: at,
    text,
    attachments: [],
  };
  return receiveMessage({
    store,
    clock: { now: () => at },
    policy,
    message: { ...message, attachments: [] },
  });
}
const repliesOf = async (result: ReturnType<typeof citizen>) => {
  const r = await result;
  if (r.outcome !== 'stored') throw new Error('expected stored');
  return r.replies.map((m) => m.text);
};

describe('service hours', () => {
  it('inside hours: the acknowledgement with the number and the 3x24 jam promise', async () => {
    const [ack] = await repliesOf(citizen(new MemoryInboxStore(), MONDAY_0900, 'mau urus akta kelahiran'));
    expect(ack).toContain('DPK-2026-000001');
    expect(ack).toContain('3x24 jam');
  });

  it('outside hours: one notice with the next opening per closed period, and the clock starts then', async () => {
    const store = new MemoryInboxStore();
    const first = await repliesOf(citizen(store, MONDAY_2000, 'mau urus akta kelahiran'));
    expect(first).toHaveLength(1);
    expect(first[0]).toContain('Layanan online dibuka kembali Selasa, 08.00 WIB');
    expect(first[0]).toContain('DPK-2026-000001');
    expect(await repliesOf(citizen(store, new Date(MONDAY_2000.getTime() + 60_000), 'halo'))).toEqual([
      expect.stringContaining('Selamat datang'),
    ]);
    expect(store.state.tickets[0]?.firstResponseDueAt).toEqual(
      new Date(TUESDAY_0800.getTime() + 72 * 3_600_000),
    );
    // The next closed period gets its own notice.
    const nextDay = await repliesOf(citizen(store, TUESDAY_1300, 'bagaimana kelanjutannya'));
    expect(nextDay[0]).toContain('Rabu, 08.00 WIB');
  });

  it('counts from receipt when the policy says so', async () => {
    const store = new MemoryInboxStore();
    const policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, { sla: { clockStarts: 'received' } });
    await citizen(store, FRIDAY_1500, 'akta lahir', policy);
    expect(store.state.tickets[0]?.firstResponseDueAt).toEqual(
      new Date(FRIDAY_1500.getTime() + 72 * 3_600_000),
    );
  });
});

describe('menu, requirements and services', () => {
  it('answers a bare greeting with the numbered menu, and a number sets the service', async () => {
    const store = new MemoryInboxStore();
    const [, menu] = await repliesOf(citizen(store, MONDAY_0900, 'halo'));
    expect(menu).toMatch(/1\. .*\n2\. /);
    expect(store.state.tickets[0]?.service).toBe('LAINNYA');
    const [chosen] = await repliesOf(citizen(store, MONDAY_0900, '3'));
    expect(chosen).toContain('layanan yang Anda pilih');
    expect(store.state.tickets[0]?.service).not.toBe('LAINNYA');
  });

  it('sends the requirements at once, at any hour, and keeps the ticket for an officer', async () => {
    const store = new MemoryInboxStore();
    const replies = await repliesOf(citizen(store, MONDAY_2000, 'syarat akta lahir apa saja?'));
    expect(replies).toHaveLength(2);
    expect(replies[1]).toContain('Persyaratan');
    expect(replies[1]).toMatch(/\n- /);
    expect(store.state.tickets[0]?.status).toBe('open');
  });

  it('tells a citizen asking for e-KTP recording that it needs a visit, and when it resumes', async () => {
    const store = new MemoryInboxStore();
    const policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      services: [{ code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: '2026-04-06' }],
    });
    const replies = await repliesOf(
      citizen(store, MONDAY_0900, 'mau perekaman ktp el untuk anak saya', policy),
    );
    expect(store.state.tickets[0]?.service).toBe('PEREKAMAN_KTP_EL');
    expect(replies[1]).toContain('kehadiran Anda langsung');
    expect(replies[1]).toContain('6 April 2026');
    expect(store.state.tickets[0]?.status).toBe('open');
  });

  it('uses the admins’ wording when they override a text', async () => {
    const policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      templates: { acknowledgement: 'Halo! Tiket {nomor_tiket}, dibalas dalam {janji_waktu}.' },
    });
    const [ack] = await repliesOf(citizen(new MemoryInboxStore(), MONDAY_0900, 'kk hilang', policy));
    expect(ack).toBe('Halo! Tiket DPK-2026-000001, dibalas dalam 3x24 jam.');
  });
});

describe('ADUAN', () => {
  it('before the promise is broken: how long is left; after: a complaint', async () => {
    const store = new MemoryInboxStore();
    await citizen(store, MONDAY_0900, 'akta kematian ayah saya');
    const early = await repliesOf(citizen(store, MONDAY_1300, 'ADUAN'));
    expect(early.at(-1)).toContain('masih dalam batas waktu');
    expect(early.at(-1)).toMatch(/tinggal .*(hari|jam)/);
    expect(store.state.complaints).toHaveLength(0);
    const late = new Date(MONDAY_0900.getTime() + 73 * 3_600_000);
    await citizen(store, late, 'pengaduan DPK-2026-000001');
    expect(store.state.complaints).toMatchObject([{ reason: 'citizen_request', status: 'received' }]);
    expect(store.state.messages.some((m) => m.text.includes('ADU-2026-000001'))).toBe(true);
    const again = await repliesOf(citizen(store, late, 'komplain'));
    expect(again.at(-1)).toContain('sudah tercatat');
  });

  it("refuses a complaint on another citizen's ticket", async () => {
    const store = new MemoryInboxStore();
    await citizen(store, MONDAY_0900, 'akta kematian', DEFAULT_OFFICE_POLICY, 'someone-else');
    const replies = await repliesOf(citizen(store, MONDAY_1300, 'ADUAN DPK-2026-000001'));
    expect(replies.at(-1)).toContain('belum menemukan tiket');
    expect(store.state.complaints).toHaveLength(0);
  });
});
