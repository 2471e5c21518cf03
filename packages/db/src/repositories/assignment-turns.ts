import { nextInTurn } from '@loket/core';
import type { Prisma } from '../generated/prisma/client.ts';

/**
 * Round-robin's turn for one service, inside the inbox transaction. The upsert takes the service's
 * `AssignmentCursor` row lock (creating the row on first use) and holds it until the transaction
 * ends, so concurrent new tickets of one service queue here and each sees the turn the previous one
 * committed. Under READ COMMITTED, ON CONFLICT DO UPDATE works on the latest committed row, and
 * RETURNING gives its `lastUserId` after the wait.
 */
export async function takeAssignmentTurn(
  tx: Prisma.TransactionClient,
  service: string,
): Promise<string | null> {
  const rows = await tx.$queryRaw<{ lastUserId: string | null }[]>`
    INSERT INTO "AssignmentCursor" (service, "lastUserId", "updatedAt") VALUES (${service}, NULL, now())
    ON CONFLICT (service) DO UPDATE SET "updatedAt" = "AssignmentCursor"."updatedAt"
    RETURNING "lastUserId"`;
  // The same rule as `takesAutoAssignedTicket`, as a query.
  const eligible = await tx.user.findMany({
    where: {
      role: 'officer',
      active: true,
      autoAssign: true,
      OR: [{ services: { isEmpty: true } }, { services: { has: service } }],
    },
    select: { id: true },
  });
  const next = nextInTurn(
    eligible.map((user) => user.id),
    rows[0]?.lastUserId ?? null,
  );
  if (next) await tx.assignmentCursor.update({ where: { service }, data: { lastUserId: next } });
  return next;
}
