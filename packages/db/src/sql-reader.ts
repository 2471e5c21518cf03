// A lean path for hot reads: a `Prisma.sql` statement run on the driver itself (the pg pool that
// Prisma's adapter also uses, or the PGlite instance), its rows handed back as the driver parsed them.
//
// Why: on `GET /v1/tickets` with 1M tickets, Prisma's raw-query layer (its value conversion and
// per-row deserialisation) cost more per page than PostgreSQL took to run the statement (see the
// README's Performance section). Writes stay on Prisma: this is for reads whose rows map 1:1 to
// records.
//
// Timestamps: Prisma stores `DateTime` as `timestamp(3)` holding UTC. pg and PGlite would parse such
// a value as local time (and pg would send a Date parameter in local time), so both directions are
// pinned to UTC here whatever the process's TZ.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Prisma, PrismaClient } from './generated/prisma/client.ts';

export type SqlReader = {
  /**
   * Runs one read-only statement and returns its rows. Text, booleans, int4 and timestamps come back
   * alike from both drivers; others (int8, numeric) do not, so cast them in the SQL.
   */
  rows<T>(statement: Prisma.Sql): Promise<T[]>;
};

const TIMESTAMP_OID = 1114;
const TIMESTAMP_ARRAY_OID = 1115;

/** The number written in `text` from `from` to `to` (ASCII digits), without building substrings. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let index = from; index < to; index++) value = value * 10 + text.charCodeAt(index) - 48;
  return value;
}

/**
 * PostgreSQL's text form of a `timestamp` (`2026-12-07 11:50:56.12`, DateStyle ISO) as the UTC
 * instant it holds. The common form is read by position (about 10× faster than `new Date(string)`,
 * which this path does 350 times per page); anything else (years before 100, BC, infinity) by Date.
 */
export function parseUtcTimestamp(text: string): Date {
  if (
    text.length >= 19 &&
    text.length <= 26 &&
    text[4] === '-' &&
    text[10] === ' ' &&
    text[19] !== ' ' &&
    !text.startsWith('00')
  ) {
    // The fraction's first three digits are the milliseconds: `.1` is 100, `.12` 120, `.123456` 123.
    const places = Math.min(text.length - 20, 3);
    const milliseconds = places > 0 ? digits(text, 20, 20 + places) * 10 ** (3 - places) : 0;
    return new Date(
      Date.UTC(
        digits(text, 0, 4),
        digits(text, 5, 7) - 1,
        digits(text, 8, 10),
        digits(text, 11, 13),
        digits(text, 14, 16),
        digits(text, 17, 19),
        milliseconds,
      ),
    );
  }
  return new Date(`${text.replace(' ', 'T')}Z`);
}

/** A statement's parameters as the drivers should send them: instants as UTC ISO text. */
function parameters(values: readonly unknown[]): unknown[] {
  return values.map((value) =>
    value instanceof Date
      ? value.toISOString()
      : Array.isArray(value)
        ? value.map((item) => (item instanceof Date ? item.toISOString() : item))
        : value,
  );
}

const parseTimestampArray = (text: string): (Date | null)[] =>
  text === '{}'
    ? []
    : text
        .slice(1, -1)
        .split(',')
        .map((item) => (item === 'NULL' ? null : parseUtcTimestamp(item.replaceAll('"', ''))));

/**
 * Over the pg pool Prisma's adapter shares. `statementName` names (prepares) each distinct text as
 * the adapter does, so PostgreSQL plans it once per connection.
 */
export function postgresReader(pool: pg.Pool, statementName: (query: { sql: string }) => string): SqlReader {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === TIMESTAMP_OID
        ? parseUtcTimestamp
        : oid === TIMESTAMP_ARRAY_OID
          ? parseTimestampArray
          : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
  return {
    async rows<T>(statement: Prisma.Sql): Promise<T[]> {
      const name = statementName({ sql: statement.text });
      const result = await pool.query({
        ...(name ? { name } : {}),
        text: statement.text,
        values: parameters(statement.values),
        types,
      });
      return result.rows as T[];
    },
  };
}

/** Over the embedded instance: PGlite parses values itself, timestamps as UTC here. */
export function pgliteReader(db: PGlite): SqlReader {
  const parsers = { [TIMESTAMP_OID]: parseUtcTimestamp, [TIMESTAMP_ARRAY_OID]: parseTimestampArray };
  return {
    async rows<T>(statement: Prisma.Sql): Promise<T[]> {
      const result = await db.query<T>(statement.text, parameters(statement.values), { parsers });
      return result.rows;
    },
  };
}

/** Through Prisma's raw query: for a client built without a database handle (some tests, scripts). */
export function prismaReader(prisma: PrismaClient): SqlReader {
  return { rows: <T>(statement: Prisma.Sql) => prisma.$queryRaw<T[]>(statement) };
}
