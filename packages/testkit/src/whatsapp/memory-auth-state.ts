import {
  type AuthenticationCreds,
  type AuthenticationState,
  initAuthCreds,
  type SignalDataSet,
  type SignalDataTypeMap,
  type SignalKeyStore,
} from '@whiskeysockets/baileys';

type KeyType = keyof SignalDataTypeMap;

/**
 * A Signal key store in a Map. Values are kept as the live objects Baileys hands over, so nothing is
 * serialised; this is for tests and for the fake's own recipients, never for a real session.
 */
export function createMemorySignalKeyStore(): SignalKeyStore & { size(type: KeyType): number } {
  const data = new Map<KeyType, Map<string, unknown>>();
  const bucket = (type: KeyType) => {
    let values = data.get(type);
    if (!values) {
      values = new Map();
      data.set(type, values);
    }
    return values;
  };
  return {
    get<T extends KeyType>(type: T, ids: string[]) {
      const values = bucket(type);
      const found: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        if (values.has(id)) found[id] = values.get(id) as SignalDataTypeMap[T];
      }
      return found;
    },
    set(set: SignalDataSet) {
      for (const [type, entries] of Object.entries(set) as [KeyType, Record<string, unknown>][]) {
        const values = bucket(type);
        for (const [id, value] of Object.entries(entries)) {
          if (value === null || value === undefined) values.delete(id);
          else values.set(id, value);
        }
      }
    },
    clear() {
      data.clear();
    },
    size(type: KeyType) {
      return bucket(type).size;
    },
  };
}

/**
 * An auth state held in memory, shared across sockets: pass the same object to a second
 * `makeWASocket` to model a restart that kept its session. Baileys mutates `creds` in place on
 * `creds.update`, so no save callback is needed.
 */
export function createMemoryAuthState(creds: AuthenticationCreds = initAuthCreds()): AuthenticationState {
  return { creds, keys: createMemorySignalKeyStore() };
}
