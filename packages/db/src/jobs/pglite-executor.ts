import type { PGlite } from '@electric-sql/pglite';
import type { JobExecutor } from './pg-boss-sql.ts';

/**
 * pg-boss's connection on the embedded database: the same PGlite instance Prisma uses. PGlite runs a
 * call outside a transaction only when no transaction is open, so pg-boss's statements never land
 * inside one of Prisma's. Its maintenance sends several statements in one string (BEGIN … COMMIT),
 * which only exec() takes; those come without arguments.
 */
export function pgliteExecutor(db: PGlite): JobExecutor {
  return {
    async executeSql(text, values = []) {
      if (values.length) {
        const result = await db.query<Record<string, unknown>>(text, values);
        return { rows: result.rows };
      }
      const results = await db.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
  };
}
