import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, testDatabaseKinds } from './testing.ts';

const postgresUrl = process.env.DATABASE_URL;

describe('testDatabaseKinds', () => {
  it('adds PostgreSQL only when a server URL is given', () => {
    expect(testDatabaseKinds(undefined)).toEqual(['pglite']);
    expect(testDatabaseKinds('')).toEqual(['pglite']);
    expect(testDatabaseKinds('postgres://x@127.0.0.1/y')).toEqual(['pglite', 'postgres']);
  });

  it('refuses a PostgreSQL test database without a server URL', async () => {
    await expect(openTestDatabase('postgres', undefined)).rejects.toThrow(/server URL/);
  });
});

describe.each(testDatabaseKinds(postgresUrl))('openTestDatabase(%s)', (kind) => {
  it('gives each caller a migrated database of its own, and reset() empties it', async () => {
    const started = performance.now();
    const [a, b] = await Promise.all([
      openTestDatabase(kind, postgresUrl),
      openTestDatabase(kind, postgresUrl),
    ]);
    console.info(`${kind}: two test databases in ${Math.round(performance.now() - started)} ms`);
    try {
      await a.prisma.auditLog.create({ data: { id: 'x', action: 'test', target: 't' } });
      expect(await a.prisma.auditLog.count()).toBe(1);
      expect(await b.prisma.auditLog.count()).toBe(0);
      await a.reset();
      expect(await a.prisma.auditLog.count()).toBe(0);
      const migrations = await a.prisma.$queryRaw<
        { n: number }[]
      >`SELECT count(*)::int AS n FROM _prisma_migrations`;
      expect(migrations[0]?.n).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  }, 60_000);

  it.runIf(kind === 'postgres')('drops its PostgreSQL database on close', async () => {
    const db = await openTestDatabase('postgres', postgresUrl);
    const [{ name }] = await db.prisma.$queryRaw<[{ name: string }]>`SELECT current_database() AS name`;
    await db.close();
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    await admin.end();
    expect(name).toMatch(/^loket_test_/);
    expect(found.rowCount).toBe(0);
  });
});
