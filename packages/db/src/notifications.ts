// Wake-ups across processes. A delivery queued by one process (an API node) wakes the delivery worker
// of every gateway at once, instead of at its next poll (up to a second later). The NOTIFY is sent by
// the transaction that queues the jobs (see delivery-queue.ts), so PostgreSQL delivers it only when
// that transaction commits. Polling stays as it was: a notification missed while the listening
// connection was down is covered by the next poll, and by one wake-up when the connection is back.
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** The channel a queued delivery is announced on (a constant identifier: never user input). */
export const DELIVERY_CHANNEL = 'loket_delivery';

export type Unlisten = () => Promise<void>;

export type Listen = (
  channel: typeof DELIVERY_CHANNEL,
  onNotify: () => void,
  onError?: (error: unknown) => void,
) => Promise<Unlisten>;

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 30_000;

/**
 * LISTEN on a connection of its own (a pooled one would go back to the pool and stop listening).
 * When it breaks (a server restart, a network cut), it is opened again with capped backoff. Resolves
 * once the first attempt has listened or failed; later attempts run in the background.
 */
export function postgresListen(url: string): Listen {
  return (channel, onNotify, onError) =>
    new Promise<Unlisten>((resolve) => {
      let stopped = false;
      let current: pg.Client | null = null;
      let timer: NodeJS.Timeout | undefined;
      let failures = 0;
      const retired = new WeakSet<pg.Client>();
      const unlisten: Unlisten = async () => {
        stopped = true;
        clearTimeout(timer);
        const client = current;
        current = null;
        if (client) {
          retired.add(client);
          await client.end().catch(() => {});
        }
      };

      const retry = (failed: pg.Client) => {
        if (retired.has(failed)) return;
        retired.add(failed);
        if (current === failed) current = null;
        failed.end().catch(() => {});
        if (stopped) return;
        failures += 1;
        const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(failures - 1, 6));
        timer = setTimeout(() => void connect(), delay);
        timer.unref?.();
      };

      async function connect(): Promise<void> {
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
        client.on('notification', (message) => {
          if (message.channel === channel) onNotify();
        });
        client.on('error', (error) => {
          if (!retired.has(client)) onError?.(error);
          retry(client);
        });
        client.on('end', () => retry(client));
        try {
          await client.connect();
          await client.query(`LISTEN ${channel}`);
          if (stopped) {
            retired.add(client);
            await client.end().catch(() => {});
            return;
          }
          current = client;
          // Whatever was queued while no connection listened is found now, not at the next poll.
          if (failures > 0) onNotify();
          failures = 0;
        } catch (error) {
          if (!retired.has(client)) onError?.(error);
          retry(client);
        }
      }

      void connect().finally(() => resolve(unlisten));
    });
}

/** The embedded database is one process: PGlite's own LISTEN. */
export function pgliteListen(db: PGlite): Listen {
  return async (channel, onNotify) => {
    const unsubscribe = await db.listen(channel, () => onNotify());
    return async () => {
      if (!db.closed) await unsubscribe();
    };
  };
}
