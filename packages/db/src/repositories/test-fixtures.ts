// Shared by this package's integration tests (not a test file itself, so vitest does not run it).
import { DEFAULT_OFFICE_POLICY, type InboxStore, type ReceivedMessage, receiveMessage } from '@loket/core';
import type { PrismaClient } from '../generated/prisma/client.ts';

/** Monday 2 March 2026, 09:00 in Jakarta. */
export const NOW = new Date('2026-03-02T02:00:00Z');

export function fixedClock(at: Date = NOW) {
  let now = at;
  return {
    now: () => now,
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
  };
}

export function citizenMessage(
  overrides: Partial<Omit<ReceivedMessage, 'attachments'>> = {},
): ReceivedMessage {
  return {
    channel: 'telegram',
    externalMessageId: '5001:1',
    externalUserId: '5001',
    externalThreadId: '5001',
    displayName: 'Siti Aminah',
    sentAt: NOW,
    text: 'Selamat pagi, saya mau buat akta kelahiran anak saya',
    ...overrides,
    attachments: [],
  };
}

export function receive(store: InboxStore, message: ReceivedMessage, clock: { now(): Date } = fixedClock()) {
  return receiveMessage({ store, clock, policy: DEFAULT_OFFICE_POLICY, message });
}

/** The delivery jobs in pg-boss's table: which message, which channel's queue, in what state. */
export async function deliveryJobs(
  prisma: PrismaClient,
): Promise<{ messageId: string; queue: string; state: string }[]> {
  return prisma.$queryRaw`
    SELECT data->>'messageId' AS "messageId", name AS queue, state::text AS state
    FROM pgboss.job WHERE name LIKE 'delivery-%' ORDER BY created_on, id`;
}
