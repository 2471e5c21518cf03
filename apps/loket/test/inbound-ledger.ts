import type { PrismaClient } from '@loket/db';
import { type FakeTelegram, textMessageUpdate } from '@loket/testkit';

/**
 * Telegram numbers a private chat's messages in one sequence, the bot's and the citizen's alike, so a
 * chat id and message id never name two messages. The fake numbers what the bot sends from 5001 up,
 * across chats: the ledger's ids start far above, or an update would share its id with an
 * acknowledgement sent to the same chat and be dropped as a duplicate of it.
 */
const FIRST_MESSAGE_ID = 10_000_000;

export type LedgerCheck = {
  /** Inbound Telegram rows in the database. */
  stored: number;
  /** update_ids whose message is not stored. */
  lost: number[];
  /** update_ids whose message is stored more than once. */
  duplicated: number[];
  /** Rows that match no pushed update (a message stored under a wrong id would show here). */
  unexpected: number;
};

/**
 * Pushes text updates to the fake Telegram and remembers, for each update_id, the id Loket must store
 * its message under (`<chat id>:<message id>`), so that what is stored can be compared update by
 * update. Citizens take turns, so a burst opens `citizens` tickets and the rest append to them.
 */
export class InboundLedger {
  private readonly externalIdOf = new Map<number, string>();
  private pushed = 0;
  /** Each test has a database of its own: every inbound Telegram row there should be one of ours. */
  private readonly inbound = { channel: 'telegram', direction: 'inbound' as const };

  constructor(
    private readonly fake: FakeTelegram,
    private readonly options: { citizens: number; firstCitizenId: number },
  ) {}

  get size(): number {
    return this.pushed;
  }

  push(count: number): void {
    for (let i = 0; i < count; i += 1) {
      this.pushed += 1;
      const citizen = this.options.firstCitizenId + (this.pushed % this.options.citizens);
      const messageId = FIRST_MESSAGE_ID + this.pushed;
      const updateId = this.fake.pushUpdate(
        textMessageUpdate({
          from: { id: citizen, firstName: `Warga ${citizen}` },
          text: `pesan ke-${this.pushed} untuk petugas`,
          messageId,
        }),
      );
      this.externalIdOf.set(updateId, `${citizen}:${messageId}`);
    }
  }

  storedCount(prisma: PrismaClient): Promise<number> {
    return prisma.message.count({ where: this.inbound });
  }

  async check(prisma: PrismaClient): Promise<LedgerCheck> {
    const rows = await prisma.message.findMany({ where: this.inbound, select: { externalId: true } });
    const copies = new Map<string, number>();
    for (const row of rows) copies.set(row.externalId ?? '', (copies.get(row.externalId ?? '') ?? 0) + 1);
    const lost: number[] = [];
    const duplicated: number[] = [];
    let matched = 0;
    for (const [updateId, externalId] of this.externalIdOf) {
      const count = copies.get(externalId) ?? 0;
      matched += count;
      if (count === 0) lost.push(updateId);
      if (count > 1) duplicated.push(updateId);
    }
    return { stored: rows.length, lost, duplicated, unexpected: rows.length - matched };
  }
}
