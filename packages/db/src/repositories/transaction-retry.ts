// Core's unit of work is written to be run again; these are the failures where running it again is
// the right answer: another transaction won a unique key (the same message delivered twice at once,
// the same new citizen writing twice at once), or PostgreSQL chose us as a deadlock or serialization
// victim.
import { someErrorLayer } from './error-chain.ts';

const RETRYABLE_CODES = new Set([
  'P2002', // Prisma: unique constraint failed
  'P2034', // Prisma: write conflict or deadlock, retry the transaction
  '23505', // unique_violation
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const RETRYABLE_KINDS = new Set(['UniqueConstraintViolation', 'TransactionWriteConflict']);

/** Looks through Prisma's error, its driver-adapter cause and the pg error for a retryable code. */
export function isRetryableConflict(error: unknown): boolean {
  return someErrorLayer(
    error,
    (layer) =>
      layer.codes.some((code) => RETRYABLE_CODES.has(code)) ||
      (layer.kind !== null && RETRYABLE_KINDS.has(layer.kind)),
  );
}

export const MAX_TRANSACTION_ATTEMPTS = 5;

/** Runs `attempt` until it succeeds, fails for another reason, or the attempts run out. */
export async function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (attemptNumber >= MAX_TRANSACTION_ATTEMPTS || !isRetryableConflict(error)) throw error;
      // A little jitter so the losers of one race do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attemptNumber));
    }
  }
}
