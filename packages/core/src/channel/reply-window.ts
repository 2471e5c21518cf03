import type { ChannelName } from './types.ts';

const HOUR_MS = 60 * 60 * 1000;

/**
 * How long after the citizen's last message a channel lets us send a free-form reply. Meta's official
 * APIs enforce these; our own promise (3x24 hours) is longer, so an officer must know when a
 * conversation can no longer be answered on its channel. Channels without an entry have no window.
 */
export type ReplyWindows = Partial<Record<ChannelName, number>>;

export function replyWindowsFor(options: { instagramHumanAgentTag: boolean }): ReplyWindows {
  return {
    // WhatsApp Cloud API: the 24-hour customer service window.
    'whatsapp-cloud': 24 * HOUR_MS,
    // Instagram messaging: 24 hours, or 7 days for human agents when the app has the HUMAN_AGENT tag.
    'instagram-graph': (options.instagramHumanAgentTag ? 7 * 24 : 24) * HOUR_MS,
  };
}

/**
 * When the channel stops accepting free-form replies on this conversation, or null when the channel
 * has no such limit. A ticket without any inbound message (never the case today) counts as closed.
 */
export function replyWindowEndsAt(
  channel: ChannelName,
  lastInboundAt: Date | null,
  windows: ReplyWindows,
): Date | null {
  const length = windows[channel];
  if (length === undefined) return null;
  if (!lastInboundAt) return new Date(0);
  return new Date(lastInboundAt.getTime() + length);
}

export function replyWindowIsOpen(
  channel: ChannelName,
  lastInboundAt: Date | null,
  windows: ReplyWindows,
  now: Date,
): boolean {
  const endsAt = replyWindowEndsAt(channel, lastInboundAt, windows);
  return endsAt === null || now.getTime() < endsAt.getTime();
}
