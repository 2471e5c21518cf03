import { MemoryChannelSessionStore } from '@loket/core';
import { Curve, proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import {
  CREDS_KEY,
  createSessionKeyStore,
  deserializeSessionValue,
  loadSessionAuthState,
  SIGNAL_KEY_TYPES,
  signalKeyName,
} from './auth-state.ts';

const NS = 'whatsapp';

describe('session key store', () => {
  it('stores each key as type:id and round-trips Buffers and Uint8Arrays', async () => {
    const memory = new MemoryChannelSessionStore();
    const keys = createSessionKeyStore(memory, NS);
    const preKey = Curve.generateKeyPair();
    const session = new Uint8Array([1, 2, 3, 250]);
    await keys.set({
      'pre-key': { '7': preKey },
      session: { '628123@s.whatsapp.net.0': session },
      'identity-key': { '628123.0': Buffer.from('identity') },
      tctoken: { '628123@s.whatsapp.net': { token: Buffer.from([9, 9]), timestamp: '1700000000' } },
      'lid-mapping': { '628123': '1234567@lid' },
      'device-list': { '628123': ['0', '3'] },
      'sender-key-memory': { 'group@g.us': { '628123@s.whatsapp.net': true } },
    });

    expect([...(memory.data.get(NS)?.keys() ?? [])].sort()).toEqual(
      [
        'device-list:628123',
        'identity-key:628123.0',
        'lid-mapping:628123',
        'pre-key:7',
        'sender-key-memory:group@g.us',
        'session:628123@s.whatsapp.net.0',
        'tctoken:628123@s.whatsapp.net',
      ].sort(),
    );

    const preKeys = await keys.get('pre-key', ['7', '8']);
    expect(Object.keys(preKeys)).toEqual(['7']);
    expect(Buffer.isBuffer(preKeys['7']?.public)).toBe(true);
    expect(Buffer.compare(Buffer.from(preKeys['7']!.public), Buffer.from(preKey.public))).toBe(0);
    expect(Buffer.compare(Buffer.from(preKeys['7']!.private), Buffer.from(preKey.private))).toBe(0);

    const sessions = await keys.get('session', ['628123@s.whatsapp.net.0']);
    expect([...Buffer.from(sessions['628123@s.whatsapp.net.0']!)]).toEqual([1, 2, 3, 250]);
    const tokens = await keys.get('tctoken', ['628123@s.whatsapp.net']);
    expect(Buffer.isBuffer(tokens['628123@s.whatsapp.net']?.token)).toBe(true);
    expect(tokens['628123@s.whatsapp.net']?.timestamp).toBe('1700000000');
    expect(await keys.get('lid-mapping', ['628123'])).toEqual({ '628123': '1234567@lid' });
    expect(await keys.get('device-list', ['628123'])).toEqual({ '628123': ['0', '3'] });
    expect(await keys.get('sender-key-memory', ['group@g.us'])).toEqual({
      'group@g.us': { '628123@s.whatsapp.net': true },
    });
  });

  it('revives app-state-sync-key values as AppStateSyncKeyData', async () => {
    const keys = createSessionKeyStore(new MemoryChannelSessionStore(), NS);
    const keyData = proto.Message.AppStateSyncKeyData.fromObject({
      keyData: Buffer.from('0123456789abcdef0123456789abcdef'),
      fingerprint: { rawId: 42, currentIndex: 1, deviceIndexes: [0, 1] },
      timestamp: 1_700_000_000,
    });
    await keys.set({ 'app-state-sync-key': { AAAAAQ: keyData } });

    const found = (await keys.get('app-state-sync-key', ['AAAAAQ'])).AAAAAQ;
    expect(found).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(found!.keyData!).toString()).toBe('0123456789abcdef0123456789abcdef');
    expect(found?.fingerprint?.rawId).toBe(42);
    expect(found?.fingerprint?.deviceIndexes).toEqual([0, 1]);
  });

  it('round-trips app-state-sync-version with its LT hash and index map', async () => {
    const keys = createSessionKeyStore(new MemoryChannelSessionStore(), NS);
    await keys.set({
      'app-state-sync-version': {
        regular: {
          version: 3,
          hash: Buffer.alloc(128, 7),
          indexValueMap: { 'aW5kZXg=': { valueMac: Buffer.from([1, 2]) } },
        },
      },
    });
    const found = (await keys.get('app-state-sync-version', ['regular'])).regular;
    expect(found?.version).toBe(3);
    expect(Buffer.isBuffer(found?.hash)).toBe(true);
    expect(found?.hash.length).toBe(128);
    expect([...Buffer.from(found!.indexValueMap['aW5kZXg=']!.valueMac)]).toEqual([1, 2]);
  });

  it('deletes keys set to null, in the same batch as writes', async () => {
    const memory = new MemoryChannelSessionStore();
    const keys = createSessionKeyStore(memory, NS);
    await keys.set({ 'pre-key': { '1': Curve.generateKeyPair(), '2': Curve.generateKeyPair() } });
    await keys.set({ 'pre-key': { '1': null, '3': Curve.generateKeyPair() } });
    expect(Object.keys(await keys.get('pre-key', ['1', '2', '3'])).sort()).toEqual(['2', '3']);
    expect(memory.data.get(NS)?.has(signalKeyName('pre-key', '1'))).toBe(false);
  });

  it('lists every Baileys 7 key type', () => {
    expect([...SIGNAL_KEY_TYPES].sort()).toEqual(
      [
        'app-state-sync-key',
        'app-state-sync-version',
        'device-list',
        'identity-key',
        'lid-mapping',
        'pre-key',
        'sender-key',
        'sender-key-memory',
        'session',
        'tctoken',
      ].sort(),
    );
  });
});

describe('session auth state', () => {
  it('starts fresh, saves creds, and loads the same creds back', async () => {
    const memory = new MemoryChannelSessionStore();
    const first = await loadSessionAuthState(memory, NS);
    expect(first.state.creds.me).toBeUndefined();
    first.state.creds.me = { id: '628111@s.whatsapp.net', name: 'Kelurahan' };
    await first.saveCreds();

    const second = await loadSessionAuthState(memory, NS);
    expect(second.state.creds.me).toEqual({ id: '628111@s.whatsapp.net', name: 'Kelurahan' });
    expect(Buffer.isBuffer(second.state.creds.noiseKey.private)).toBe(true);
    expect(Buffer.compare(second.state.creds.noiseKey.private, first.state.creds.noiseKey.private)).toBe(0);
    expect(second.state.creds.signedPreKey.keyId).toBe(first.state.creds.signedPreKey.keyId);
    expect(
      Buffer.compare(second.state.creds.signedPreKey.signature, first.state.creds.signedPreKey.signature),
    ).toBe(0);
  });

  it('keeps the last of several quick saves', async () => {
    const memory = new MemoryChannelSessionStore();
    const auth = await loadSessionAuthState(memory, NS);
    auth.state.creds.nextPreKeyId = 10;
    void auth.saveCreds();
    auth.state.creds.nextPreKeyId = 11;
    await auth.saveCreds();
    const stored = memory.data.get(NS)?.get(CREDS_KEY);
    expect(deserializeSessionValue<{ nextPreKeyId: number }>(stored!).nextPreKeyId).toBe(11);
  });

  it('reads and writes keys through the cache', async () => {
    const memory = new MemoryChannelSessionStore();
    const auth = await loadSessionAuthState(memory, NS);
    await auth.state.keys.set({ session: { a: new Uint8Array([5]) } });
    expect(memory.data.get(NS)?.has('session:a')).toBe(true);
    const fresh = await loadSessionAuthState(memory, NS);
    const found = await fresh.state.keys.get('session', ['a']);
    expect([...Buffer.from(found.a!)]).toEqual([5]);
  });

  it('clear() wipes the session, and the old state cannot write it back', async () => {
    const memory = new MemoryChannelSessionStore();
    const auth = await loadSessionAuthState(memory, NS);
    auth.state.creds.me = { id: '628111@s.whatsapp.net' };
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '1': Curve.generateKeyPair() } });

    await auth.clear();
    expect(memory.data.has(NS)).toBe(false);
    await auth.saveCreds();
    await auth.state.keys.set({ 'pre-key': { '2': Curve.generateKeyPair() } });
    expect(memory.data.has(NS)).toBe(false);

    const fresh = await loadSessionAuthState(memory, NS);
    expect(fresh.state.creds.me).toBeUndefined();
  });
});
