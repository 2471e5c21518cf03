// The test suite's own settings, read once here (app code reads the environment only in env.ts).
import { z } from 'zod';

const testEnvSchema = z.object({
  /** PostgreSQL server for the second database suite; unset runs PGlite only. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional()
    .catch(undefined),
  /** Total fuzz cases per fuzz file; `pnpm test:reliability` sets 10,000. */
  FUZZ_RUNS: z.coerce.number().int().positive().optional().catch(undefined),
});

export const TEST_ENV = testEnvSchema.parse(process.env);
