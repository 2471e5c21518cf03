// The reliability tests' own settings, read once here (app code reads the environment only in env.ts).
import { z } from 'zod';

const schema = z.object({
  /** PostgreSQL server for the gateway-kill test; unset skips it. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//)
    .optional()
    .catch(undefined),
  /**
   * Inbound Telegram updates in the gateway-kill burst. `pnpm test:reliability` sets 10,000; the
   * default suite runs a smaller burst to stay within CI's time.
   */
  RELIABILITY_BURST: z.coerce.number().int().positive().default(500),
  /** Where the private cluster's initdb and pg_ctl find their own tools. */
  PATH: z.string().default('/usr/bin:/bin'),
});

export const RELIABILITY_ENV = schema.parse(process.env);
