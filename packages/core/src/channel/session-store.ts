/**
 * Durable key-value state a channel keeps across restarts (WhatsApp's Signal keys and credentials,
 * an Instagram session). Values are opaque strings the adapter serialises; `null` deletes a key.
 * The gateway passes an implementation backed by the database, so a crash at any moment leaves a
 * session that reconnects without pairing again.
 */
export interface ChannelSessionStore {
  get(namespace: string, keys: string[]): Promise<Map<string, string>>;
  set(namespace: string, entries: Record<string, string | null>): Promise<void>;
  /** Forgets the whole session (logged out): the next start pairs from scratch. */
  clear(namespace: string): Promise<void>;
}

/** An in-memory store for tests and for adapters run without persistence. */
export class MemoryChannelSessionStore implements ChannelSessionStore {
  readonly data = new Map<string, Map<string, string>>();

  async get(namespace: string, keys: string[]): Promise<Map<string, string>> {
    const space = this.data.get(namespace);
    const found = new Map<string, string>();
    for (const key of keys) {
      const value = space?.get(key);
      if (value !== undefined) found.set(key, value);
    }
    return found;
  }

  async set(namespace: string, entries: Record<string, string | null>): Promise<void> {
    let space = this.data.get(namespace);
    if (!space) {
      space = new Map();
      this.data.set(namespace, space);
    }
    for (const [key, value] of Object.entries(entries)) {
      if (value === null) space.delete(key);
      else space.set(key, value);
    }
  }

  async clear(namespace: string): Promise<void> {
    this.data.delete(namespace);
  }
}
