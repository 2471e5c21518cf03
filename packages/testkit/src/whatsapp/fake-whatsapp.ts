import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type BinaryNode, Curve, WA_CERT_DETAILS } from '@whiskeysockets/baileys';
import pino from 'pino';
import { type WebSocket, WebSocketServer } from 'ws';
import { waitUntil } from '../wait-until.ts';
import { DEFAULT_PHONE_NUMBER, phoneUserOf } from './account-identity.ts';
import { type ClientReceipt, ClientTraffic, type ReceivedMessage } from './client-traffic.ts';
import { FakeAccounts } from './fake-accounts.ts';
import { buildCertChain, fakeCertificateAuthority } from './fake-certificates.ts';
import { FakeConnection } from './fake-connection.ts';
import { type BaileysLogger, FakeContacts } from './fake-contacts.ts';
import { FakeMediaStore } from './fake-media.ts';
import { FAKE_MEDIA_TLS_CERT, FAKE_MEDIA_TLS_KEY } from './fake-media-tls.ts';
import { FakePairing, type PairedDevice, type PairingCodeRequest } from './fake-pairing.ts';
import {
  inboundMessageStanza,
  mediaMessage,
  type SendMediaOptions,
  type SendTextOptions,
  textMessage,
} from './inbound-messages.ts';
import { IqResponder } from './iq-responder.ts';
import { NoiseServerHandshake } from './noise-server.ts';
import {
  failureNode,
  linkedProfilesNotification,
  offlineDoneNode,
  pairDeviceIq,
  replacedStreamErrorNode,
  successNode,
} from './server-stanzas.ts';

export type FakeWhatsAppOptions = {
  /**
   * Accounts whose LID is not the derived default. Rarely needed: `registeredCreds({ lid })` in the
   * same process already tells the fake.
   */
  accounts?: { phoneNumber: string; lid: string }[];
  /** What `encrypt/count` reports. Default 50; 5 or fewer makes the client upload a pre-key batch. */
  preKeyCount?: number;
  /** The fake's own log (unexpected stanzas, handler errors). Silent by default. */
  logger?: BaileysLogger;
};

export type ClientStanza = {
  connection: number;
  tag: string;
  attrs: Record<string, string>;
  /** The first child's tag: what an iq asks for ('count', 'usync', 'key', …). */
  child?: string;
};

/**
 * A WhatsApp server on 127.0.0.1 for the real Baileys socket: the Noise XX handshake, login or
 * pairing, the iqs Baileys asks at login, inbound messages (live and the offline batch), outbound
 * messages decrypted as the recipient's phone, media downloads, and server-side failures.
 */
export class FakeWhatsApp {
  readonly pairingCodeRequests: PairingCodeRequest[];
  readonly pairedDevices: PairedDevice[];
  readonly received: ReceivedMessage[];
  readonly receipts: ClientReceipt[];
  readonly undecryptable: ClientTraffic['undecryptable'];
  /** Every stanza the client sent, in order (tag, attributes, first child), for debugging a test. */
  readonly clientStanzas: ClientStanza[] = [];
  /** Errors the fake hit while handling the client (bad frames, failed handlers). */
  readonly errors: unknown[] = [];
  readonly media: FakeMediaStore;
  readonly contacts: FakeContacts;
  readonly rootPublicKey: Uint8Array;
  private handshakes = 0;
  private logins = 0;
  private nextConnectionId = 1;
  private preKeysOnServer: number;
  private pendingFailure: number | undefined;
  private offlineQueue: SendTextOptions[] = [];
  private readonly connections = new Set<FakeConnection>();
  private readonly loggedIn = new Set<FakeConnection>();
  private readonly accounts: FakeAccounts;
  private readonly staticKeyPair = Curve.generateKeyPair();
  private readonly certChain: Uint8Array;
  private readonly logger: BaileysLogger;
  private readonly traffic: ClientTraffic;
  private readonly pairing: FakePairing;
  private readonly iqs: IqResponder;
  private readonly httpServer: Server;
  /** Baileys uploads media only over https, to the host `media_conn` names; this is that host. */
  private readonly uploadServer: HttpsServer;
  private readonly wss = new WebSocketServer({ noServer: true });
  private port = 0;
  private uploadPort = 0;

  constructor(options: FakeWhatsAppOptions = {}) {
    const authority = fakeCertificateAuthority();
    this.rootPublicKey = authority.rootKeyPair.public;
    this.certChain = buildCertChain(authority, this.staticKeyPair.public);
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.preKeysOnServer = options.preKeyCount ?? 50;
    this.accounts = new FakeAccounts(options.accounts);
    this.contacts = new FakeContacts(this.logger);
    this.media = new FakeMediaStore(
      () => `http://127.0.0.1:${this.port}`,
      () => `https://127.0.0.1:${this.uploadPort}`,
    );
    const isOwnAccount = (connection: FakeConnection, jid: string) =>
      this.accounts.isOwnAccount(connection, jid);
    const accountLidUser = (phoneUser: string) => this.accounts.lidUser(phoneUser);
    this.traffic = new ClientTraffic(this.contacts, this.media, isOwnAccount);
    this.received = this.traffic.received;
    this.receipts = this.traffic.receipts;
    this.undecryptable = this.traffic.undecryptable;
    this.pairing = new FakePairing({
      accountLidUser,
      accountKeyPair: (phone) => this.accounts.keyPair(phone),
    });
    this.pairingCodeRequests = this.pairing.pairingCodeRequests;
    this.pairedDevices = this.pairing.pairedDevices;
    this.iqs = new IqResponder({
      contacts: this.contacts,
      isOwnAccount,
      accountLidUser,
      preKeyCount: () => this.preKeysOnServer,
      onPreKeysUploaded: (count) => {
        this.preKeysOnServer += count;
      },
      onLinkCode: (connection, iq) => this.pairing.onLinkCode(connection, iq),
      onActive: (connection) => this.deliverOffline(connection),
      mediaHost: () => `127.0.0.1:${this.uploadPort}`,
    });
    this.httpServer = createServer((request, response) => this.serveMedia(request, response));
    this.uploadServer = createHttpsServer(
      { key: FAKE_MEDIA_TLS_KEY, cert: FAKE_MEDIA_TLS_CERT },
      (request, response) => this.serveMedia(request, response),
    );
    this.httpServer.on('upgrade', (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/ws/chat') return socket.destroy();
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
    });
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/ws/chat`;
  }

  /** Noise handshakes completed, whatever came after. */
  get connectionCount(): number {
    return this.handshakes;
  }

  /** The client's pre-keys the server holds; a client that was told 5 or fewer uploads more. */
  get preKeyCount(): number {
    return this.preKeysOnServer;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.httpServer.listen(0, '127.0.0.1', resolve));
    this.port = (this.httpServer.address() as AddressInfo).port;
    await new Promise<void>((resolve) => this.uploadServer.listen(0, '127.0.0.1', resolve));
    this.uploadPort = (this.uploadServer.address() as AddressInfo).port;
  }

  /**
   * Resolves once `count` clients in total have completed the handshake and then logged in
   * (`<success>` sent) or started pairing (`pair-device` sent). Pass 2 to wait for a reconnect.
   */
  async waitForLogin(count = 1, timeoutMs = 10_000): Promise<void> {
    await waitUntil(() => this.logins >= count, {
      timeoutMs,
      message: `fake whatsapp: ${count} login(s) expected, saw ${this.logins}`,
    });
  }

  async sendText(options: SendTextOptions): Promise<string> {
    this.linkSender(options);
    const { id, node } = inboundMessageStanza(options, textMessage(options.text), { type: 'text' });
    await this.currentConnection().sendNode(node);
    return id;
  }

  async sendMedia(options: SendMediaOptions): Promise<string> {
    this.linkSender(options);
    const stored = await this.media.store(options.bytes, options.kind);
    const message = mediaMessage(options, stored);
    const { id, node } = inboundMessageStanza(options, message, { type: 'media' });
    await this.currentConnection().sendNode(node);
    return id;
  }

  /** Tells the client that a LID and a phone JID are one citizen; Baileys emits `lid-mapping.update`. */
  async sendLidMapping(mapping: { lid: string; pn: string }): Promise<string> {
    this.contacts.link(phoneUserOf(mapping.pn), phoneUserOf(mapping.lid));
    const node = linkedProfilesNotification(mapping.lid, mapping.pn);
    await this.currentConnection().sendNode(node);
    return node.attrs.id!;
  }

  /**
   * Queues a message for the next login's offline batch. Like the real server, the fake sends the
   * batch once the client says `passive/active` after `<success>`: each stanza marked `offline`, then
   * `<ib><offline count=N/>`. Baileys upserts these as type 'append', not 'notify'.
   */
  queueOffline(options: SendTextOptions): void {
    this.offlineQueue.push(options);
  }

  async waitForReceived(count: number, timeoutMs = 10_000): Promise<void> {
    await waitUntil(() => this.received.length >= count, {
      timeoutMs,
      message: `fake whatsapp: ${count} outbound message(s) expected, got ${this.received.length}; undecryptable: ${JSON.stringify(this.undecryptable)}`,
    });
  }

  /** Waits until the client has acknowledged an inbound stanza (a receipt or an ack with this id). */
  async waitForReceipt(id: string, timeoutMs = 10_000): Promise<ClientReceipt> {
    await waitUntil(() => this.receipts.some((receipt) => receipt.id === id), {
      timeoutMs,
      message: `fake whatsapp: no receipt for ${id}`,
    });
    return this.receipts.find((receipt) => receipt.id === id)!;
  }

  /** Closes the newest connection from the server side; the client ends with 428 connectionClosed. */
  dropConnection(): void {
    const connection = [...this.connections].at(-1);
    if (!connection) throw new Error('fake whatsapp: no connection to drop');
    connection.close();
  }

  /**
   * Ends the session the way the server does: `<failure reason=…>` (401 logged out, 403 banned), or
   * for 440 on a live connection `<stream:error><conflict type="replaced"/>` (another client logged in
   * with these creds). With `onNextLogin`, or when no client is logged in, the next login gets a
   * `<failure>` instead of `<success>`.
   */
  failLogin(reason: 401 | 403 | 440, options: { onNextLogin?: boolean } = {}): void {
    const connection = [...this.loggedIn].at(-1);
    if (options.onNextLogin || !connection) {
      this.pendingFailure = reason;
      return;
    }
    const node = reason === 440 ? replacedStreamErrorNode() : failureNode(reason);
    connection.sendNode(node).catch((error) => this.errors.push(error));
  }

  /** `requestPairingCode` only sends its iq (it does not await an answer), so tests wait for it here. */
  async waitForPairingCodeRequest(count = 1, timeoutMs = 10_000): Promise<PairingCodeRequest> {
    await waitUntil(() => this.pairingCodeRequests.length >= count, {
      timeoutMs,
      message: 'fake whatsapp: no link_code_companion_reg request',
    });
    return this.pairingCodeRequests[count - 1]!;
  }

  /** The phone scanning the QR from `connection.update`; the client gets `pair-success`, then 515. */
  async scanQr(qr: string, options: { phoneNumber?: string } = {}): Promise<void> {
    const connection = [...this.connections].filter((c) => c.isOpen && !c.clientJid).at(-1);
    if (!connection) throw new Error('fake whatsapp: no client is waiting to pair');
    await this.pairing.scanQr(connection, qr, options.phoneNumber ?? DEFAULT_PHONE_NUMBER);
  }

  /** Typing the client's pairing code into the phone; completes pairing like `scanQr`. */
  async enterPairingCode(code: string): Promise<void> {
    await this.pairing.enterPairingCode(code);
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.terminate();
    this.wss.close();
    for (const server of [this.httpServer, this.uploadServer]) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private serveMedia(request: IncomingMessage, response: ServerResponse): void {
    this.media
      .handle(request, response)
      .then((handled) => {
        if (!handled) response.writeHead(404).end();
      })
      .catch((error) => {
        this.errors.push(error);
        if (!response.headersSent) response.writeHead(500).end();
      });
  }

  private linkSender(options: SendTextOptions | SendMediaOptions): void {
    const lid = options.from.endsWith('@lid') ? options.from : options.senderLid;
    const pn = options.from.endsWith('@lid') ? options.senderPn : options.from;
    if (lid && pn) this.contacts.link(phoneUserOf(pn), phoneUserOf(lid));
  }

  private currentConnection(): FakeConnection {
    const connection = [...this.loggedIn].filter((c) => c.isOpen).at(-1);
    if (!connection) throw new Error('fake whatsapp: no logged-in client to deliver to');
    return connection;
  }

  private accept(ws: WebSocket): void {
    const handshake = new NoiseServerHandshake(this.staticKeyPair, this.certChain);
    const connection = new FakeConnection(this.nextConnectionId++, ws, handshake, {
      onHandshake: (c) => this.onHandshake(c),
      onNode: (c, node) => this.onNode(c, node),
      onClose: (c) => {
        this.connections.delete(c);
        this.loggedIn.delete(c);
      },
      onError: (_c, error) => {
        this.errors.push(error);
        this.logger.error({ err: error }, 'fake whatsapp: connection error');
      },
    });
    this.connections.add(connection);
  }

  private async onHandshake(connection: FakeConnection): Promise<void> {
    this.handshakes += 1;
    const payload = connection.clientPayload!;
    if (payload.username === null || payload.username === undefined) {
      await connection.sendNode(pairDeviceIq());
      this.logins += 1;
      return;
    }
    const phoneUser = `${payload.username}`;
    const device = payload.device ?? 0;
    connection.clientJid = `${phoneUser}:${device}@s.whatsapp.net`;
    // A companion always has a device number. Creds without one come from a `requestPairingCode`
    // that never completed (Baileys sets `creds.me` before pairing); such a login cannot succeed.
    const failure = device ? this.pendingFailure : 401;
    if (failure !== undefined) {
      if (device) this.pendingFailure = undefined;
      await connection.sendNode(failureNode(failure));
      return;
    }
    const lidUser = this.accounts.lidUser(phoneUser);
    await connection.sendNode(successNode(`${lidUser}:${device}@lid`));
    this.loggedIn.add(connection);
    this.logins += 1;
  }

  private async onNode(connection: FakeConnection, node: BinaryNode): Promise<void> {
    const child = Array.isArray(node.content) ? node.content[0]?.tag : undefined;
    this.clientStanzas.push({ connection: connection.id, tag: node.tag, attrs: node.attrs, child });
    switch (node.tag) {
      case 'iq':
        if (node.attrs.type === 'result' || node.attrs.type === 'error') {
          await this.pairing.onIqResult(connection, node);
          return;
        }
        await this.iqs.answer(connection, node);
        return;
      case 'message':
        await this.traffic.onMessage(connection, node);
        return;
      case 'receipt':
        this.traffic.onReceipt(node);
        await connection.sendNode(this.traffic.receiptAck(node));
        return;
      case 'ack':
        this.traffic.onAck(node);
        return;
      default:
        // presence, chatstate, ib (unified_session) and the like need no answer.
        this.logger.debug({ tag: node.tag, attrs: node.attrs }, 'fake whatsapp: ignored stanza');
    }
  }

  /** The offline batch: stored messages marked `offline`, then the count that ends it. */
  private async deliverOffline(connection: FakeConnection): Promise<void> {
    const batch = this.offlineQueue;
    this.offlineQueue = [];
    for (const options of batch) {
      this.linkSender(options);
      const { node } = inboundMessageStanza(options, textMessage(options.text), {
        type: 'text',
        offline: true,
      });
      await connection.sendNode(node);
    }
    await connection.sendNode(offlineDoneNode(batch.length));
  }
}

export async function startFakeWhatsApp(options: FakeWhatsAppOptions = {}): Promise<FakeWhatsApp> {
  const fake = new FakeWhatsApp(options);
  await fake.listen();
  return fake;
}

/**
 * Makes Baileys accept the fake's Noise certificate chain: `WA_CERT_DETAILS` is an exported, mutable
 * object that the handshake reads on every connection. It is process-wide, and vitest runs each test
 * file in its own fork, so calling this in a test file affects only that file.
 */
export function trustFakeWhatsAppCertificates(fake: FakeWhatsApp): void {
  WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(fake.rootPublicKey);
}
