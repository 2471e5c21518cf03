import { type BinaryNode, decodeBinaryNode, encodeBinaryNode, type proto } from '@whiskeysockets/baileys';
import type { WebSocket } from 'ws';
import { encodeServerFrame, NoiseFrameReader } from './noise-frames.ts';
import type { NoiseServerHandshake, NoiseTransport } from './noise-server.ts';

export type ConnectionHandlers = {
  onHandshake(connection: FakeConnection): Promise<void>;
  onNode(connection: FakeConnection, node: BinaryNode): Promise<void>;
  onClose(connection: FakeConnection): void;
  onError(connection: FakeConnection, error: unknown): void;
};

/**
 * One client WebSocket: the Noise handshake, then binary nodes both ways. Incoming frames are handled
 * strictly one after another (decoding is async), because the protocol is ordered: an iq answered
 * out of order, or an ack before its message, would not be what a real server does.
 */
export class FakeConnection {
  clientPayload: proto.ClientPayload | undefined;
  clientStaticPublic: Uint8Array | undefined;
  /** The client's JID as it logged in (`<phone>:<device>@s.whatsapp.net`), unset while pairing. */
  clientJid: string | undefined;
  private transport: NoiseTransport | undefined;
  private readonly reader = new NoiseFrameReader();
  private queue: Promise<void> = Promise.resolve();
  private helloAnswered = false;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    private readonly handshake: NoiseServerHandshake,
    private readonly handlers: ConnectionHandlers,
  ) {
    ws.on('message', (data: Buffer) => {
      this.queue = this.queue.then(() => this.receive(data)).catch((error) => handlers.onError(this, error));
    });
    ws.on('close', () => {
      this.closed = true;
      handlers.onClose(this);
    });
    ws.on('error', (error) => handlers.onError(this, error));
  }

  get isOpen(): boolean {
    return !this.closed && this.transport !== undefined;
  }

  async sendNode(node: BinaryNode): Promise<void> {
    if (!this.transport) throw new Error('fake whatsapp: cannot send a node before the handshake');
    if (this.closed) throw new Error('fake whatsapp: the connection is closed');
    const frame = encodeServerFrame(this.transport.encrypt(encodeBinaryNode(node)));
    await new Promise<void>((resolve, reject) =>
      this.ws.send(frame, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** A server-side close: the client sees the WebSocket close and ends with 428 connectionClosed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close();
  }

  /** Drops the TCP connection without a close frame, like a network failure. */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  private async receive(data: Buffer): Promise<void> {
    for (const frame of this.reader.push(data)) {
      if (this.closed) return;
      if (!this.helloAnswered) {
        this.helloAnswered = true;
        this.ws.send(encodeServerFrame(this.handshake.respondToHello(frame)));
        continue;
      }
      if (!this.transport) {
        const completed = this.handshake.finish(frame);
        this.transport = completed.transport;
        this.clientPayload = completed.clientPayload;
        this.clientStaticPublic = completed.clientStaticPublic;
        await this.handlers.onHandshake(this);
        continue;
      }
      const node = await decodeBinaryNode(this.transport.decrypt(frame));
      await this.handlers.onNode(this, node);
    }
  }
}
