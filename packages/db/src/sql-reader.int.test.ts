import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from './generated/prisma/client.ts';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from './testing.ts';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('the lean SQL reader on %s', (kind) => {
  let db: TestDatabase;
  const zone = process.env.TZ;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
    // A server in Jakarta: nothing may read or write an instant as local time.
    process.env.TZ = 'Asia/Jakarta';
  });
  afterAll(async () => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
    await db?.close();
  });

  it('reads back what Prisma wrote, instants as the same UTC moment', async () => {
    const at = new Date('2026-12-07T01:02:03.045Z');
    const contact = await db.prisma.contact.create({
      data: { id: 'reader-1', displayName: 'Warga "Satu", O\'Neil', createdAt: at, updatedAt: at },
    });
    const rows = await db.reader.rows<{ id: string; displayName: string; createdAt: Date; n: number }>(
      Prisma.sql`SELECT id, "displayName", "createdAt", 1::int AS n FROM "Contact" WHERE id = ${contact.id}`,
    );
    expect(rows).toEqual([{ id: contact.id, displayName: 'Warga "Satu", O\'Neil', createdAt: at, n: 1 }]);
  });

  it('sends a Date parameter as its UTC instant', async () => {
    const at = new Date('2026-12-07T23:30:00.000Z');
    const contact = await db.prisma.contact.create({
      data: { id: 'reader-2', displayName: 'Warga Dua', createdAt: at, updatedAt: at },
    });
    const matching = (when: Date) =>
      db.reader.rows<{ id: string }>(
        Prisma.sql`SELECT id FROM "Contact" WHERE id = ${contact.id} AND "createdAt" = ${when}`,
      );
    expect(await matching(at)).toEqual([{ id: contact.id }]);
    expect(await matching(new Date(at.getTime() + 7 * 3_600_000))).toEqual([]);
  });

  it('reads arrays of instants and NULLs', async () => {
    const rows = await db.reader.rows<{ a: (Date | null)[]; nothing: Date | null }>(
      Prisma.sql`SELECT ARRAY['2026-01-02 03:04:05.6'::timestamp(3), NULL] AS a, NULL::timestamp(3) AS nothing`,
    );
    expect(rows).toEqual([{ a: [new Date('2026-01-02T03:04:05.600Z'), null], nothing: null }]);
  });
});
