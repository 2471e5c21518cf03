import type { Agent } from 'node:https';
import { Boom } from '@hapi/boom';
import {
  jidNormalizedUser,
  type MessageUpsertType,
  makeWASocket,
  type proto,
  type UserFacingSocketConfig,
  type WAMessage,
  type WAMessageKey,
  type WASocket,
} from '@whiskeysockets/baileys';
import type { SessionAuthState } from './auth-state.ts';
import type { BaileysLogger } from './baileys-logger.ts';
import type { WhatsAppLogger, WhatsAppQr } from './types.ts';
import { watchForSilence } from './watchdog.ts';

/** Baileys shows the first QR of a connection for 60 seconds and each later one for 20. */
const FIRST_QR_MS = 60_000;
const NEXT_QR_MS = 20_000;
/** How long stop() waits for WhatsApp to acknowledge the close before cutting the TCP connection. */
const CLOSE_GRACE_MS = 2000;

export type SocketListener = {
  onQr(qr: WhatsAppQr): void;
  onOpen(): void;
  onMessages(messages: WAMessage[], type: MessageUpsertType): void;
  onIdentityLink(lid: string, pn: string): void;
  /** Called once per socket, with `lastDisconnect.error` (undefined when we ended it ourselves). */
  onClosed(error: unknown): void;
};

export type SocketOptions = {
  auth: SessionAuthState;
  waWebSocketUrl?: string;
  browser?: [string, string, string];
  version?: [number, number, number];
  mediaUploadAgent?: Agent;
  fireInitQueries: boolean;
  watchdogSilenceMs: number;
  logger: WhatsAppLogger;
  baileysLogger: BaileysLogger;
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
};

export type LiveSocket = {
  sock: WASocket;
  isOpen(): boolean;
  /** True once this socket has shown a QR: only then may a pairing code be requested on it. */
  hasShownQr(): boolean;
  /** Ends the socket and resolves once it is closed, within a couple of seconds at worst. */
  end(): Promise<void>;
};

/** Baileys keeps the `ws` socket protected; cutting a hung close needs it. */
function terminateRawSocket(sock: WASocket): void {
  const raw = (sock.ws as unknown as { socket?: { terminate(): void } | null }).socket;
  raw?.terminate();
}

/**
 * Creates one Baileys socket and turns its events into the listener's calls. One socket lives from
 * connect to close; the adapter decides what comes after a close (reconnect-policy.ts).
 */
export function openSocket(options: SocketOptions, listener: SocketListener): LiveSocket {
  const config: UserFacingSocketConfig = {
    auth: options.auth.state,
    logger: options.baileysLogger,
    fireInitQueries: options.fireInitQueries,
    // The office phone keeps getting notifications; the gateway is a silent companion.
    markOnlineOnConnect: false,
    syncFullHistory: false,
    // Our own sends would come back as `append` upserts only to be skipped.
    emitOwnEvents: false,
    getMessage: options.getMessage,
    ...(options.waWebSocketUrl ? { waWebSocketUrl: options.waWebSocketUrl } : {}),
    ...(options.browser ? { browser: options.browser } : {}),
    ...(options.version ? { version: options.version } : {}),
    ...(options.mediaUploadAgent ? { fetchAgent: options.mediaUploadAgent } : {}),
  };
  const sock = makeWASocket(config);
  let open = false;
  let closed = false;
  let qrCount = 0;
  let closedSignal: () => void = () => {};
  const closedPromise = new Promise<void>((resolve) => {
    closedSignal = resolve;
  });

  const watchdog = watchForSilence({
    source: sock.ws,
    silenceMs: options.watchdogSilenceMs,
    onSilent: (silentForMs) => {
      options.logger.warn({ silentForMs }, 'WhatsApp socket went silent; recycling it');
      void sock.end(
        new Boom(`no frames from WhatsApp for ${Math.round(silentForMs / 1000)}s`, { statusCode: 408 }),
      );
    },
  });

  sock.ev.on('creds.update', () => {
    options.auth.saveCreds().catch((error: unknown) => {
      options.logger.error({ reason: String(error) }, 'saving WhatsApp creds failed');
    });
  });

  sock.ev.on('connection.update', (update) => {
    if (update.qr) {
      qrCount += 1;
      const ttl = qrCount === 1 ? FIRST_QR_MS : NEXT_QR_MS;
      listener.onQr({ qr: update.qr, expiresAt: new Date(Date.now() + ttl) });
    }
    if (update.connection === 'open') {
      open = true;
      listener.onOpen();
    }
    if (update.connection === 'close' && !closed) {
      closed = true;
      open = false;
      watchdog.stop();
      // Baileys discards whatever its event buffer holds when a socket ends (ev.destroy()), and those
      // messages were already receipted, so WhatsApp will not resend them. Still inside the close
      // event, a flush hands them to the messages.upsert listener first.
      if (sock.ev.isBuffering()) sock.ev.flush();
      listener.onClosed(update.lastDisconnect?.error);
      closedSignal();
    }
  });

  sock.ev.on('messages.upsert', ({ messages, type }) => listener.onMessages(messages, type));
  sock.ev.on('lid-mapping.update', ({ lid, pn }) =>
    listener.onIdentityLink(jidNormalizedUser(lid), jidNormalizedUser(pn)),
  );

  return {
    sock,
    isOpen: () => open,
    hasShownQr: () => qrCount > 0,
    async end() {
      watchdog.stop();
      if (closed) return;
      void sock.end(undefined);
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), CLOSE_GRACE_MS);
      });
      const outcome = await Promise.race([closedPromise, grace]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        // WhatsApp did not answer the close frame: cut the connection, which lets Baileys finish.
        terminateRawSocket(sock);
        await Promise.race([closedPromise, new Promise((resolve) => setTimeout(resolve, 500))]);
      }
    },
  };
}
