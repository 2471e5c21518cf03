import { describe, expect, it } from 'vitest';
import { replyWindowEndsAt, replyWindowIsOpen, replyWindowsFor } from './reply-window.ts';

const lastInbound = new Date('2026-11-30T02:00:00Z');

describe('reply windows', () => {
  const standard = replyWindowsFor({ instagramHumanAgentTag: false });
  const humanAgent = replyWindowsFor({ instagramHumanAgentTag: true });

  it('gives WhatsApp Cloud 24 hours from the citizen’s last message', () => {
    expect(replyWindowEndsAt('whatsapp-cloud', lastInbound, standard)).toEqual(
      new Date('2026-12-01T02:00:00Z'),
    );
  });

  it('gives Instagram 24 hours, or 7 days with the HUMAN_AGENT tag', () => {
    expect(replyWindowEndsAt('instagram-graph', lastInbound, standard)).toEqual(
      new Date('2026-12-01T02:00:00Z'),
    );
    expect(replyWindowEndsAt('instagram-graph', lastInbound, humanAgent)).toEqual(
      new Date('2026-12-07T02:00:00Z'),
    );
  });

  it('has no window for channels that allow replies at any time', () => {
    for (const channel of ['telegram', 'whatsapp', 'instagram'] as const) {
      expect(replyWindowEndsAt(channel, lastInbound, standard)).toBeNull();
      expect(replyWindowIsOpen(channel, lastInbound, standard, new Date('2030-01-01'))).toBe(true);
    }
  });

  it('is open up to, and closed from, the end of the window', () => {
    const justBefore = new Date('2026-12-01T01:59:59.999Z');
    const atTheEnd = new Date('2026-12-01T02:00:00Z');
    expect(replyWindowIsOpen('whatsapp-cloud', lastInbound, standard, justBefore)).toBe(true);
    expect(replyWindowIsOpen('whatsapp-cloud', lastInbound, standard, atTheEnd)).toBe(false);
  });

  it('counts a conversation without any citizen message as closed', () => {
    expect(replyWindowIsOpen('whatsapp-cloud', null, standard, lastInbound)).toBe(false);
  });
});
