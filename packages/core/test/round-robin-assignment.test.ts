import { describe, expect, it } from 'vitest';
import type { AssignableUser } from '../src/assignment/round-robin.ts';
import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy } from '../src/policy/office-policy.ts';
import { type ReceivedMessage, receiveMessage } from '../src/tickets/receive-message.ts';
import { MemoryInboxStore } from './memory-inbox-store.ts';

// Monday 2 March 2026, 09:00 WIB.
const now = new Date('2026-03-02T02:00:00Z');
const clock = { now: () => now };
const roundRobin = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, { assignment: { mode: 'round_robin' } });

const officer = (id: string, extra: Partial<AssignableUser> = {}): AssignableUser => ({
  id,
  role: 'officer',
  active: true,
  autoAssign: true,
  services: [],
  ...extra,
});

let sequence = 0;
function citizen(text: string, user = `c${++sequence}`): ReceivedMessage {
  return {
    channel: 'telegram',
    externalMessageId: `${user}:${++sequence}`,
    externalUserId: user,
    externalThreadId: user,
    displayName: 'Warga',
    sentAt: now,
    text,
    attachments: [],
  };
}

async function assigneeOf(store: MemoryInboxStore, message: ReceivedMessage, policy = roundRobin) {
  const result = await receiveMessage({ store, clock, policy, message });
  if (result.outcome !== 'stored') throw new Error('expected stored');
  return result.ticket.assigneeId;
}

describe('round-robin assignment in receiveMessage', () => {
  it('gives new tickets of a service to eligible officers in turn, by id, and audits each', async () => {
    const store = new MemoryInboxStore();
    store.state.staff = [
      officer('o3'),
      officer('o1'),
      officer('o2', { services: ['KK'] }),
      officer('o4', { active: false }),
      officer('o5', { autoAssign: false }),
      { ...officer('s1'), role: 'supervisor' },
    ];
    const akta = [];
    for (let i = 0; i < 3; i += 1) akta.push(await assigneeOf(store, citizen('akta kelahiran')));
    expect(akta).toEqual(['o1', 'o3', 'o1']);
    expect(await assigneeOf(store, citizen('kartu keluarga'))).toBe('o1');
    expect(await assigneeOf(store, citizen('kartu keluarga'))).toBe('o2');
    expect(store.state.audit.filter((entry) => entry.action === 'ticket.assign')).toHaveLength(5);
  });

  it('assigns only new tickets, not later messages of an open one', async () => {
    const store = new MemoryInboxStore();
    store.state.staff = [officer('o1'), officer('o2')];
    expect(await assigneeOf(store, citizen('akta kelahiran', 'same'))).toBe('o1');
    expect(await assigneeOf(store, citizen('halo lagi', 'same'))).toBe('o1');
    expect(store.state.assignmentTurns.get('AKTA_KELAHIRAN')).toBe('o1');
  });

  it('leaves tickets unassigned with nobody eligible, or in manual mode', async () => {
    const store = new MemoryInboxStore();
    expect(await assigneeOf(store, citizen('akta kelahiran'))).toBeNull();
    store.state.staff = [officer('o1')];
    expect(await assigneeOf(store, citizen('akta kelahiran'), DEFAULT_OFFICE_POLICY)).toBeNull();
    expect(store.state.audit.filter((entry) => entry.action === 'ticket.assign')).toEqual([]);
  });
});
