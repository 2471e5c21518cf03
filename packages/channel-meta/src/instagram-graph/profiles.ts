import type { GraphClient } from '../graph-client.ts';
import type { MetaLogger } from '../types.ts';

export type InstagramProfile = { name?: string; username?: string };

/** A lookup holds up the webhook answer, so it is given little time. */
const LOOKUP_TIMEOUT_MS = 5000;
/** A failed lookup is tried again after this long, so a passing outage does not name someone for good. */
const FAILURE_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5000;

type Entry = { profile: Promise<InstagramProfile | undefined>; expiresAt: number };

/**
 * Looks senders up with `GET /{igsid}?fields=name,username`, once per sender: answers are kept in
 * memory (the oldest dropped past a few thousand), failures for a few minutes.
 */
export function createProfileDirectory(
  client: GraphClient,
  logger: MetaLogger,
  now: () => number = Date.now,
) {
  const cache = new Map<string, Entry>();

  async function fetchProfile(igsid: string): Promise<InstagramProfile | undefined> {
    try {
      const answer = await client.call<{ name?: unknown; username?: unknown }>('profile lookup', {
        method: 'GET',
        path: [igsid],
        query: { fields: 'name,username' },
        signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
      });
      const name = typeof answer.name === 'string' ? answer.name.trim() : '';
      const username = typeof answer.username === 'string' ? answer.username.trim() : '';
      return { ...(name ? { name } : {}), ...(username ? { username } : {}) };
    } catch (error) {
      logger.warn({ igsid, reason: String(error) }, 'Instagram profile lookup failed');
      return undefined;
    }
  }

  return {
    lookup(igsid: string): Promise<InstagramProfile | undefined> {
      const cached = cache.get(igsid);
      if (cached && cached.expiresAt > now()) return cached.profile;
      const entry: Entry = { profile: fetchProfile(igsid), expiresAt: Number.POSITIVE_INFINITY };
      entry.profile.then((profile) => {
        if (profile === undefined) entry.expiresAt = now() + FAILURE_TTL_MS;
      });
      cache.delete(igsid);
      cache.set(igsid, entry);
      if (cache.size > MAX_ENTRIES) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return entry.profile;
    },
  };
}
