/**
 * Splits the client's byte stream into Noise frames. Every frame is a 3-byte big-endian length and
 * the bytes. The client's very first WebSocket message also starts with an intro header: `WA 6 3`,
 * or `ED 0 1 <3-byte length> <routing info>` followed by `WA 6 3` once it has stored routing info.
 * Frames may in principle straddle WebSocket messages, so the reader keeps a buffer.
 */
export class NoiseFrameReader {
  private pending: Buffer = Buffer.alloc(0);
  private sawIntro = false;

  push(chunk: Uint8Array): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    if (!this.sawIntro && !this.skipIntro()) return [];
    const frames: Buffer[] = [];
    while (this.pending.length >= 3) {
      const size = this.pending.readUIntBE(0, 3);
      if (this.pending.length < size + 3) break;
      frames.push(this.pending.subarray(3, size + 3));
      this.pending = this.pending.subarray(size + 3);
    }
    return frames;
  }

  /** Returns false while the intro header is still incomplete. */
  private skipIntro(): boolean {
    let offset = 0;
    if (this.pending.subarray(0, 2).toString('latin1') === 'ED') {
      if (this.pending.length < 7) return false;
      offset = 7 + this.pending.readUIntBE(4, 3);
    }
    if (this.pending.length < offset + 4) return false;
    if (this.pending.subarray(offset, offset + 2).toString('latin1') !== 'WA') {
      throw new Error('fake whatsapp: the client did not start with the WA intro header');
    }
    this.pending = this.pending.subarray(offset + 4);
    this.sawIntro = true;
    return true;
  }
}

/** Frames the server sends carry no intro header, only the 3-byte length. */
export function encodeServerFrame(payload: Uint8Array): Buffer {
  const frame = Buffer.alloc(3 + payload.length);
  frame.writeUIntBE(payload.length, 0, 3);
  frame.set(payload, 3);
  return frame;
}
