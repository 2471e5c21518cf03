import type { ChannelSessionStore } from '@loket/core';
import {
  type AuthenticationCreds,
  type AuthenticationState,
  BufferJSON,
  initAuthCreds,
  makeCacheableSignalKeyStore,
  proto,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';
import type { BaileysLogger } from './baileys-logger.ts';

/** Every key type Baileys 7 stores. The check below fails to compile when an upgrade adds one. */
export const SIGNAL_KEY_TYPES = [
  'pre-key',
  'session',
  'sender-key',
  'sender-key-memory',
  'app-state-sync-key',
  'app-state-sync-version',
  'lid-mapping',
  'device-list',
  'tctoken',
  'identity-key',
] as const satisfies readonly (keyof SignalDataTypeMap)[];

type UnhandledKeyType = Exclude<keyof SignalDataTypeMap, (typeof SIGNAL_KEY_TYPES)[number]>;
const allKeyTypesHandled: [UnhandledKeyType] extends [never] ? true : false = true;
void allKeyTypesHandled;

export const CREDS_KEY = 'creds';

export function signalKeyName(type: keyof SignalDataTypeMap, id: string): string {
  return `${type}:${id}`;
}

/** Buffers and Uint8Arrays survive as `{ type: 'Buffer', data: <base64> }`, as in Baileys' own files. */
export function serializeSessionValue(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

export function deserializeSessionValue<T>(text: string): T {
  return JSON.parse(text, BufferJSON.reviver) as T;
}

/**
 * Signal keys on the session store, one entry per `${type}:${id}`. A batch from Baileys (a hundred
 * pre-keys at once) is one `set` call, which the database store writes in one transaction.
 * `isRetired` turns writes into no-ops once the session was wiped, so a socket still winding down
 * cannot write its old keys into the fresh session.
 */
export function createSessionKeyStore(
  store: ChannelSessionStore,
  namespace: string,
  isRetired: () => boolean = () => false,
): SignalKeyStore {
  return {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const found = await store.get(
        namespace,
        ids.map((id) => signalKeyName(type, id)),
      );
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const text = found.get(signalKeyName(type, id));
        if (text === undefined) continue;
        const value = deserializeSessionValue<unknown>(text);
        // JSON loses the protobuf class; Baileys reads the key through the class's accessors.
        result[id] = (
          type === 'app-state-sync-key'
            ? proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>)
            : value
        ) as SignalDataTypeMap[T];
      }
      return result;
    },

    async set(data: SignalDataSet) {
      if (isRetired()) return;
      const entries: Record<string, string | null> = {};
      for (const type of Object.keys(data) as (keyof SignalDataTypeMap)[]) {
        const values = data[type];
        if (!values) continue;
        for (const [id, value] of Object.entries(values)) {
          entries[signalKeyName(type, id)] = value == null ? null : serializeSessionValue(value);
        }
      }
      if (Object.keys(entries).length > 0) await store.set(namespace, entries);
    },
  };
}

/** True once the phone has linked this device: the account identity arrives with pair-success. */
export function isLinked(creds: AuthenticationCreds): boolean {
  return Boolean(creds.me?.id && creds.account);
}

export type SessionAuthState = {
  /** Pass to makeWASocket. Baileys mutates `creds` in place. */
  state: AuthenticationState;
  /** Writes the creds as they are now. Writes happen in call order, so the last one wins. */
  saveCreds(): Promise<void>;
  /** Forgets the session (logged out). This state object is dead afterwards: load a new one. */
  clear(): Promise<void>;
};

/**
 * Loads the session, or starts a fresh one (new noise and identity keys) when the store has none.
 * The key store is wrapped in Baileys' cache, so a message does not cost a database read per key.
 */
export async function loadSessionAuthState(
  store: ChannelSessionStore,
  namespace: string,
  logger?: BaileysLogger,
): Promise<SessionAuthState> {
  const stored = (await store.get(namespace, [CREDS_KEY])).get(CREDS_KEY);
  const creds = stored === undefined ? initAuthCreds() : deserializeSessionValue<AuthenticationCreds>(stored);
  let retired = false;
  const keys = makeCacheableSignalKeyStore(
    createSessionKeyStore(store, namespace, () => retired),
    logger,
  );
  let writes: Promise<void> = Promise.resolve();

  return {
    state: { creds, keys },
    saveCreds() {
      if (retired) return Promise.resolve();
      // Serialise now, not when the previous write finishes, so each write holds the creds of its event.
      const snapshot = serializeSessionValue(creds);
      writes = writes
        .catch(() => {})
        .then(() => (retired ? undefined : store.set(namespace, { [CREDS_KEY]: snapshot })));
      return writes;
    },
    async clear() {
      retired = true;
      await writes.catch(() => {});
      await store.clear(namespace);
    },
  };
}
