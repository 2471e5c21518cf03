import { describe, expect, it } from 'vitest';
import { type LoketEvent, publishableEvents } from './events.ts';

const readAt = new Date('2026-11-30T03:00:10Z');
const event = (id: number, secondsBeforeRead: number): LoketEvent => ({
  id: String(id),
  type: 'message.created',
  ticketId: 't1',
  payload: {},
  at: new Date(readAt.getTime() - secondsBeforeRead * 1000),
});

describe('publishableEvents', () => {
  it('hands on consecutive events and moves the cursor past them', () => {
    const result = publishableEvents({ events: [event(5, 1), event(6, 1), event(7, 0)], readAt }, '4', 5000);
    expect(result.events.map((e) => e.id)).toEqual(['5', '6', '7']);
    expect(result.cursor).toBe('7');
  });

  it('waits at a fresh gap, which a slower transaction may still fill', () => {
    const result = publishableEvents({ events: [event(5, 1), event(7, 1), event(8, 1)], readAt }, '4', 5000);
    expect(result.events.map((e) => e.id)).toEqual(['5']);
    expect(result.cursor).toBe('5');
  });

  it('passes a gap once the event after it is older than the grace period', () => {
    const result = publishableEvents({ events: [event(7, 6), event(8, 1)], readAt }, '5', 5000);
    expect(result.events.map((e) => e.id)).toEqual(['7', '8']);
    expect(result.cursor).toBe('8');
  });

  it('ignores events at or below the cursor, and keeps the cursor when nothing is new', () => {
    expect(publishableEvents({ events: [event(3, 9)], readAt }, '3', 5000)).toEqual({
      events: [],
      cursor: '3',
    });
    expect(publishableEvents({ events: [], readAt }, '12', 5000)).toEqual({ events: [], cursor: '12' });
  });
});
