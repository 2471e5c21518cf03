import {
  ChannelError,
  type ChannelStartContext,
  createStatusReporter,
  type OutboundContent,
  type StatusReporter,
  sleepUnlessAborted,
  type ThreadRef,
} from '@loket/core';
import { jidDecode, type proto, WA_CERT_DETAILS, type WAMessage } from '@whiskeysockets/baileys';
import { isLinked, loadSessionAuthState, type SessionAuthState } from './auth-state.ts';
import { silentLogger, toBaileysLogger } from './baileys-logger.ts';
import { type LiveSocket, openSocket } from './connection.ts';
import { createInboundPipeline, type InboundPipeline } from './inbound.ts';
import { createInboundSpool } from './inbound-spool.ts';
import { createMediaFetcher } from './media.ts';
import { normalizeWebMessage } from './normalize.ts';
import { createPacer, DEFAULT_PACING } from './pacing.ts';
import { pairingPhoneDigits } from './pairing.ts';
import { decideAfterDisconnect, disconnectStatusCode } from './reconnect-policy.ts';
import { sendContent } from './send.ts';
import type {
  NormalizedMessage,
  RetryBackoff,
  WhatsAppChannel,
  WhatsAppChannelConfig,
  WhatsAppQr,
} from './types.ts';
import { validateConfig } from './validate-config.ts';

export { loadSessionAuthState, SIGNAL_KEY_TYPES } from './auth-state.ts';
export { normalizeWebMessage, senderIdentity } from './normalize.ts';
export { createPacer, DEFAULT_PACING } from './pacing.ts';
export { decideAfterDisconnect } from './reconnect-policy.ts';
export type * from './types.ts';

const DEFAULT_NAMESPACE = 'whatsapp';
/** WhatsApp allows documents of up to 2 GB; an office has no use for anything near that. */
const DEFAULT_MAX_MEDIA_BYTES = 64 * 1024 * 1024;
const DEFAULT_WATCHDOG_SILENCE_MS = 5 * 60_000;
const DEFAULT_BACKOFF: RetryBackoff = { initialDelayMs: 1000, maxDelayMs: 60_000 };
/** Sent messages kept for Baileys' getMessage, which answers a recipient's request to resend. */
const SENT_MESSAGES_KEPT = 500;
const CONNECTING_DETAIL = 'Connecting to WhatsApp.';
const PAIRING_DETAIL =
  'Scan the QR code in WhatsApp › Linked devices on the office phone, or request a pairing code.';

/** One start→stop lifetime of the adapter. */
type Run = {
  ctx: ChannelStartContext;
  controller: AbortController;
  signal: AbortSignal;
  report: StatusReporter;
  done: Promise<void>;
  socket?: LiveSocket;
  qr: WhatsAppQr | null;
  inbound: InboundPipeline;
};

function errorMessage(error: unknown): string | undefined {
  return error instanceof Error ? error.message : error === undefined ? undefined : String(error);
}

export function createWhatsAppChannel(config: WhatsAppChannelConfig): WhatsAppChannel {
  validateConfig(config);
  const namespace = config.sessionNamespace ?? DEFAULT_NAMESPACE;
  const logger = config.logger ?? silentLogger;
  const baileysLogger = toBaileysLogger(logger);
  const backoff: RetryBackoff = { ...DEFAULT_BACKOFF, ...config.backoff };
  const pacer = createPacer({ ...DEFAULT_PACING, ...config.pacing });
  const spool = createInboundSpool(config.session, `${namespace}:inbound`, logger);
  const sentMessages = new Map<string, proto.IMessage>();
  let current: Run | undefined;

  const fetchMedia = createMediaFetcher({
    getSocket: () => current?.socket?.sock,
    maxMediaBytes: config.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES,
    logger: baileysLogger,
  });

  function normalizeSafely(raw: WAMessage): NormalizedMessage {
    try {
      return normalizeWebMessage(raw, { acceptGroups: config.acceptGroups ?? false, fetchMedia });
    } catch (error) {
      // A shape normalisation cannot read would fail the same way forever; skip it rather than stall.
      logger.error({ messageId: raw.key?.id, reason: String(error) }, 'WhatsApp message could not be read');
      return { kind: 'skipped', reason: 'malformed_message', detail: { messageId: raw.key?.id } };
    }
  }

  function linkIdentity(lid: string, pn: string): void {
    logger.info({ lid }, 'WhatsApp mapped a LID to a phone number');
    const onIdentityLink = config.onIdentityLink;
    if (!onIdentityLink) return;
    Promise.resolve()
      .then(() => onIdentityLink(lid, pn))
      .catch((error: unknown) => logger.warn({ lid, reason: String(error) }, 'onIdentityLink failed'));
  }

  function rememberSent(message: WAMessage): void {
    const id = message.key.id;
    if (!id || !message.message) return;
    sentMessages.set(id, message.message);
    if (sentMessages.size > SENT_MESSAGES_KEPT) {
      const oldest = sentMessages.keys().next().value;
      if (oldest !== undefined) sentMessages.delete(oldest);
    }
  }

  function accountOf(auth: SessionAuthState): string {
    const user = jidDecode(auth.state.creds.me?.id)?.user;
    return user ? `+${user}` : 'this account';
  }

  /** Runs one socket until it closes, or until the run is stopped. */
  function connectOnce(
    run: Run,
    auth: SessionAuthState,
    ready: (error?: unknown) => void,
  ): Promise<{ error: unknown; opened: boolean }> {
    return new Promise((resolve) => {
      let opened = false;
      const socket = openSocket(
        {
          auth,
          waWebSocketUrl: config.waWebSocketUrl,
          browser: config.browser,
          version: config.version,
          mediaUploadAgent: config.mediaUploadAgent,
          fireInitQueries: config.fireInitQueries ?? true,
          watchdogSilenceMs: config.watchdogSilenceMs ?? DEFAULT_WATCHDOG_SILENCE_MS,
          logger,
          baileysLogger,
          getMessage: async (key) => sentMessages.get(key.id ?? ''),
        },
        {
          onQr(qr) {
            run.qr = qr;
            run.report('needs_pairing', PAIRING_DETAIL);
            ready();
          },
          onOpen() {
            opened = true;
            run.qr = null;
            run.report('connected', `Linked as ${accountOf(auth)}.`);
            ready();
          },
          onMessages: (messages, type) => run.inbound.accept(messages, type),
          onIdentityLink: linkIdentity,
          onClosed(error) {
            run.qr = null;
            if (run.socket === socket) run.socket = undefined;
            run.signal.removeEventListener('abort', onAbort);
            resolve({ error, opened });
          },
        },
      );
      run.socket = socket;
      const onAbort = () => {
        void socket.end().then(() => resolve({ error: undefined, opened }));
      };
      if (run.signal.aborted) onAbort();
      else run.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Wipes a session WhatsApp no longer accepts, retrying while the store fails; undefined if stopped. */
  async function wipeSession(run: Run, auth: SessionAuthState): Promise<SessionAuthState | undefined> {
    for (let attempt = 1; !run.signal.aborted; attempt += 1) {
      try {
        await auth.clear();
        return await loadSessionAuthState(config.session, namespace, baileysLogger);
      } catch (error) {
        logger.error(
          { attempt, reason: errorMessage(error) },
          'wiping the WhatsApp session failed; retrying',
        );
        if (!(await sleepUnlessAborted(backoff.initialDelayMs * attempt, run.signal))) return undefined;
      }
    }
    return undefined;
  }

  async function live(run: Run, ready: (error?: unknown) => void): Promise<void> {
    run.report('connecting', CONNECTING_DETAIL);
    if (config.trustedRootPublicKey) {
      logger.warn({}, 'trusting a non-WhatsApp certificate root (test server only)');
      WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(config.trustedRootPublicKey);
    }
    let auth = await loadSessionAuthState(config.session, namespace, baileysLogger);
    run.inbound.accept(await spool.load(), 'spooled');
    let attempt = 0;
    while (!run.signal.aborted) {
      // An unlinked session keeps its last state (logged_out, needs_pairing) until the next QR arrives.
      if (isLinked(auth.state.creds)) run.report('connecting', CONNECTING_DETAIL);
      const outcome = await connectOnce(run, auth, ready);
      if (run.signal.aborted) break;
      attempt = outcome.opened ? 1 : attempt + 1;
      const statusCode = disconnectStatusCode(outcome.error);
      const decision = decideAfterDisconnect({
        statusCode,
        reason: errorMessage(outcome.error),
        attempt,
        backoff,
      });
      logger.warn(
        { statusCode, attempt, action: decision.action, state: decision.state },
        'WhatsApp connection closed',
      );
      if (decision.action === 'stop') {
        run.report(decision.state, decision.detail);
        ready(
          new ChannelError('whatsapp', decision.detail, {
            retryable: false,
            code: decision.state.toUpperCase(),
          }),
        );
        return;
      }
      if (decision.wipeSession) {
        const fresh = await wipeSession(run, auth);
        if (!fresh) break;
        auth = fresh;
      }
      run.report(decision.state, decision.detail);
      if (decision.delayMs > 0 && !(await sleepUnlessAborted(decision.delayMs, run.signal))) break;
    }
    run.report('disconnected', 'Stopped.');
  }

  async function start(ctx: ChannelStartContext): Promise<void> {
    if (current) throw new Error('whatsapp: channel is already started');
    if (ctx.signal.aborted) return;
    const controller = new AbortController();
    const signal = AbortSignal.any([ctx.signal, controller.signal]);
    let socketOfRun = (): LiveSocket | undefined => undefined;
    const run: Run = {
      ctx,
      controller,
      signal,
      report: createStatusReporter(ctx.onStatus),
      done: Promise.resolve(),
      qr: null,
      inbound: createInboundPipeline({
        ctx,
        signal,
        backoff,
        spool,
        logger,
        normalize: normalizeSafely,
        phoneForLid: async (lid) => socketOfRun()?.sock.signalRepository.lidMapping.getPNForLID(lid),
      }),
    };
    socketOfRun = () => run.socket;
    current = run;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const ready = (error?: unknown) => {
        if (settled) return;
        settled = true;
        if (error === undefined) resolve();
        else reject(error);
      };
      run.signal.addEventListener('abort', () => ready(), { once: true });
      run.done = live(run, ready)
        .catch((error: unknown) => {
          run.report('error', errorMessage(error) ?? 'unknown error');
          logger.error({ reason: errorMessage(error) }, 'WhatsApp channel failed');
          ready(error);
        })
        .finally(() => {
          // A run that ended by itself (banned, replaced) also ends its inbound retries: what is
          // left stays in the spool for the next start.
          run.controller.abort();
          if (current === run) current = undefined;
          ready();
        });
    });
  }

  async function stop(): Promise<void> {
    const run = current;
    if (!run) return;
    run.controller.abort();
    await run.done;
  }

  function currentQr(): WhatsAppQr | null {
    const qr = current?.qr;
    if (!qr || qr.expiresAt.getTime() <= Date.now()) return null;
    return { qr: qr.qr, expiresAt: new Date(qr.expiresAt) };
  }

  async function requestPairingCode(phoneNumber: string): Promise<string> {
    const digits = pairingPhoneDigits(phoneNumber);
    const socket = current?.socket;
    const notReady = (why: string) =>
      new ChannelError('whatsapp', `cannot request a pairing code: ${why}`, {
        retryable: true,
        code: 'NOT_READY',
      });
    if (!socket) throw notReady('the channel is not running, or is between connections');
    if (socket.isOpen()) {
      throw new ChannelError('whatsapp', 'this device is already linked to WhatsApp', {
        retryable: false,
        code: 'ALREADY_LINKED',
      });
    }
    if (!socket.hasShownQr()) throw notReady('WhatsApp has not sent a QR code on this connection yet');
    try {
      return await socket.sock.requestPairingCode(digits);
    } catch (error) {
      throw new ChannelError('whatsapp', `requesting a pairing code failed: ${errorMessage(error)}`, {
        retryable: true,
        code: 'PAIRING_FAILED',
        cause: error,
      });
    }
  }

  return {
    channel: 'whatsapp',
    start,
    stop,
    send: (to: ThreadRef, content: OutboundContent) =>
      sendContent(
        {
          connectedSocket: () => (current?.socket?.isOpen() ? current.socket.sock : undefined),
          pacer,
          signal: current?.signal,
          rememberSent,
        },
        to,
        content,
      ),
    currentQr,
    requestPairingCode,
  };
}
