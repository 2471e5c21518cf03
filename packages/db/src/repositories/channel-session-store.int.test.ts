import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase, testDatabaseKinds } from '../testing.ts';
import { createChannelSessionStore } from './channel-session-store.ts';

describe.each(testDatabaseKinds(process.env.DATABASE_URL))('ChannelSessionStore on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(kind, process.env.DATABASE_URL);
  });
  afterAll(() => db?.close());
  beforeEach(() => db.reset());

  it('writes, overwrites, deletes and reads keys per namespace', async () => {
    const store = createChannelSessionStore(db.prisma);
    await store.set('whatsapp', { creds: '{"a":1}', 'pre-key:1': 'k1', 'pre-key:2': 'k2' });
    await store.set('other', { creds: 'elsewhere' });
    await store.set('whatsapp', { creds: '{"a":2}', 'pre-key:1': null });
    const found = await store.get('whatsapp', ['creds', 'pre-key:1', 'pre-key:2', 'missing']);
    expect(Object.fromEntries(found)).toEqual({ creds: '{"a":2}', 'pre-key:2': 'k2' });
    expect(Object.fromEntries(await store.get('other', ['creds']))).toEqual({ creds: 'elsewhere' });
  });

  it('saves a large batch (a pairing writes hundreds of pre-keys) in one go, and clears a session', async () => {
    const store = createChannelSessionStore(db.prisma);
    const batch = Object.fromEntries(
      Array.from({ length: 800 }, (_, i) => [`pre-key:${i}`, `{"key":"${'x'.repeat(64)}${i}"}`]),
    );
    await store.set('whatsapp', batch);
    const keys = Object.keys(batch);
    expect((await store.get('whatsapp', keys)).size).toBe(800);
    await store.clear('whatsapp');
    expect((await store.get('whatsapp', keys)).size).toBe(0);
  });

  it('keeps values with any characters intact', async () => {
    const store = createChannelSessionStore(db.prisma);
    const value = JSON.stringify({
      buffer: { type: 'Buffer', data: 'AAEC/w==' },
      text: 'it\'s "quoted" \u0000-free ✓',
    });
    await store.set('whatsapp', { creds: value });
    expect((await store.get('whatsapp', ['creds'])).get('creds')).toBe(value);
  });
});
