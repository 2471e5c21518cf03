import type { ChannelName } from './types.ts';

/**
 * Who runs each channel. A WhatsApp number, an Instagram login or a Telegram bot must be driven by
 * exactly one gateway at a time (two pollers of one bot fight; two WhatsApp sockets log each other
 * out). A gateway holds a lease while it runs the channel and renews it; a dead gateway's lease runs
 * out and another takes the channel over. The database's clock decides, not the gateways'.
 */
export interface ChannelLeases {
  /** Takes or renews the lease for `ttlMs`. True when `owner` holds it now. */
  acquire(channel: ChannelName, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives it up (stopping cleanly), so another gateway need not wait for it to run out. */
  release(channel: ChannelName, owner: string): Promise<void>;
  /** The current holder of each leased channel whose lease has not run out. */
  holders(): Promise<Partial<Record<ChannelName, string>>>;
}
