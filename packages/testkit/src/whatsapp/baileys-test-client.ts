import {
  type AuthenticationState,
  type BaileysEventMap,
  type ConnectionState,
  makeWASocket,
  type WASocket,
} from '@whiskeysockets/baileys';
import pino from 'pino';
import { waitUntil } from '../wait-until.ts';
import type { FakeWhatsApp } from './fake-whatsapp.ts';

export type MessagesUpsert = BaileysEventMap['messages.upsert'];

/** The shape of Baileys' disconnect errors (a Boom); testkit does not depend on @hapi/boom itself. */
type DisconnectError = Error & { output?: { statusCode?: number } };

/**
 * A real `makeWASocket` pointed at the fake, with every `connection.update` and `messages.upsert`
 * recorded so tests wait for observable events instead of sleeping.
 */
export type BaileysTestClient = {
  sock: WASocket;
  auth: AuthenticationState;
  updates: Partial<ConnectionState>[];
  upserts: MessagesUpsert[];
  waitForQr(timeoutMs?: number): Promise<string>;
  waitForOpen(timeoutMs?: number): Promise<void>;
  /** Resolves with `lastDisconnect.error.output.statusCode` once the socket has closed. */
  waitForClose(timeoutMs?: number): Promise<number | undefined>;
  waitForUpsert(predicate: (upsert: MessagesUpsert) => boolean, timeoutMs?: number): Promise<MessagesUpsert>;
};

export function connectBaileysTestClient(
  fake: FakeWhatsApp,
  auth: AuthenticationState,
  config: Partial<Parameters<typeof makeWASocket>[0]> = {},
): BaileysTestClient {
  const sock = makeWASocket({
    waWebSocketUrl: fake.url,
    auth,
    logger: pino({ level: 'silent' }),
    fireInitQueries: false,
    markOnlineOnConnect: false,
    connectTimeoutMs: 10_000,
    ...config,
  });
  const updates: Partial<ConnectionState>[] = [];
  const upserts: MessagesUpsert[] = [];
  sock.ev.on('connection.update', (update) => updates.push(update));
  sock.ev.on('messages.upsert', (upsert) => upserts.push(upsert));

  const waitFor = async <T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    await waitUntil(() => find() !== undefined, {
      timeoutMs,
      message: `baileys test client: no ${what}; updates: ${JSON.stringify(updates.map(describeUpdate))}`,
    });
    return find()!;
  };
  return {
    sock,
    auth,
    updates,
    upserts,
    waitForQr: (timeoutMs = 10_000) => waitFor(() => updates.find((u) => u.qr)?.qr, timeoutMs, 'QR'),
    waitForOpen: async (timeoutMs = 10_000) => {
      await waitFor(() => updates.find((u) => u.connection === 'open'), timeoutMs, "connection 'open'");
    },
    waitForClose: async (timeoutMs = 10_000) => {
      const closed = await waitFor(() => updates.find((u) => u.connection === 'close'), timeoutMs, 'close');
      return (closed.lastDisconnect?.error as DisconnectError | undefined)?.output?.statusCode;
    },
    waitForUpsert: (predicate, timeoutMs = 10_000) =>
      waitFor(() => upserts.find(predicate), timeoutMs, 'matching messages.upsert'),
  };
}

function describeUpdate(update: Partial<ConnectionState>): Record<string, unknown> {
  const error = update.lastDisconnect?.error as DisconnectError | undefined;
  return {
    ...update,
    qr: update.qr ? '<qr>' : undefined,
    lastDisconnect: error ? { status: error.output?.statusCode, message: error.message } : undefined,
  };
}
