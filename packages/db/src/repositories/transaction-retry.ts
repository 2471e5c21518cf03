// Core's unit of work is written to be run again; these are the failures where running it again is
// the right answer: another transaction won a unique key (the same message delivered twice at once,
// the same new citizen writing twice at once), or PostgreSQL chose us as a deadlock or serialization
// victim.

const RETRYABLE_CODES = new Set([
  'P2002', // Prisma: unique constraint failed
  'P2034', // Prisma: write conflict or deadlock, retry the transaction
  '23505', // unique_violation
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);
const RETRYABLE_KINDS = new Set(['UniqueConstraintViolation', 'TransactionWriteConflict']);

type ErrorShape = {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  meta?: { code?: unknown; driverAdapterError?: unknown };
  cause?: unknown;
};

/** Looks through Prisma's error, its driver-adapter cause and the pg error for a retryable code. */
export function isRetryableConflict(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const shape = error as ErrorShape;
  for (const code of [shape.code, shape.originalCode, shape.meta?.code]) {
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
  }
  if (typeof shape.kind === 'string' && RETRYABLE_KINDS.has(shape.kind)) return true;
  return (
    isRetryableConflict(shape.meta?.driverAdapterError, depth + 1) ||
    isRetryableConflict(shape.cause, depth + 1)
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
