import { describe, expect, it } from 'vitest';
import { type AssignableUser, nextInTurn, takesAutoAssignedTicket } from './round-robin.ts';

const officer: AssignableUser = { id: 'u1', role: 'officer', active: true, autoAssign: true, services: [] };

describe('round-robin assignment', () => {
  it('takes active officers who accept auto-assignment and this service', () => {
    expect(takesAutoAssignedTicket(officer, 'KK')).toBe(true);
    expect(takesAutoAssignedTicket({ ...officer, services: ['KK', 'KIA'] }, 'KK')).toBe(true);
    expect(takesAutoAssignedTicket({ ...officer, services: ['KIA'] }, 'KK')).toBe(false);
    expect(takesAutoAssignedTicket({ ...officer, active: false }, 'KK')).toBe(false);
    expect(takesAutoAssignedTicket({ ...officer, autoAssign: false }, 'KK')).toBe(false);
    expect(takesAutoAssignedTicket({ ...officer, role: 'supervisor' }, 'KK')).toBe(false);
  });

  it('goes to the next id after the last one, wrapping around', () => {
    const ids = ['c', 'a', 'b'];
    expect(nextInTurn(ids, null)).toBe('a');
    expect(nextInTurn(ids, 'a')).toBe('b');
    expect(nextInTurn(ids, 'b')).toBe('c');
    expect(nextInTurn(ids, 'c')).toBe('a');
  });

  it('continues after a last officer who is no longer eligible, and gives null with nobody', () => {
    expect(nextInTurn(['a', 'c'], 'b')).toBe('c');
    expect(nextInTurn(['a', 'c'], 'z')).toBe('a');
    expect(nextInTurn([], 'a')).toBeNull();
  });
});
