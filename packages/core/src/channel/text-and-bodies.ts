/** How a platform counts its text limit: UTF-16 code units (WhatsApp) or UTF-8 bytes (Instagram). */
export type TextMeasure = 'utf16' | 'utf8';

function codePointSize(codePoint: number, measure: TextMeasure): number {
  if (measure === 'utf16') return codePoint > 0xffff ? 2 : 1;
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

const utf8 = new TextEncoder();

function sizeOf(text: string, measure: TextMeasure): number {
  return measure === 'utf16' ? text.length : utf8.encode(text).byteLength;
}

/** Length in code units of the longest prefix within `limit`, never cutting a surrogate pair. */
function fittingPrefix(text: string, limit: number, measure: TextMeasure): number {
  let size = 0;
  let index = 0;
  for (const char of text) {
    size += codePointSize(char.codePointAt(0) ?? 0, measure);
    if (size > limit) break;
    index += char.length;
  }
  // A limit below one character would loop forever; take the character anyway.
  return index === 0 ? ((text.codePointAt(0) ?? 0) > 0xffff ? 2 : 1) : index;
}

/**
 * Splits text into pieces the platform accepts, preferring a line break, then a space, in the second
 * half of the window, so a long reply reads naturally. Blank pieces are dropped: platforms refuse them.
 */
export function splitText(text: string, limit: number, measure: TextMeasure = 'utf16'): string[] {
  const pieces: string[] = [];
  const keep = (piece: string) => {
    if (piece.trim() !== '') pieces.push(piece);
  };
  let rest = text;
  while (sizeOf(rest, measure) > limit) {
    const fit = fittingPrefix(rest, limit, measure);
    // One character more, so a break right after the limit still counts.
    const window = rest.slice(0, fit + 1);
    let cut = window.lastIndexOf('\n');
    if (cut < fit / 2) cut = window.lastIndexOf(' ');
    if (cut > 0 && cut >= fit / 2) {
      keep(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
      continue;
    }
    keep(rest.slice(0, fit));
    rest = rest.slice(fit);
  }
  keep(rest);
  return pieces;
}

/** Thrown by `readAtMost` when a body passes its limit; adapters turn it into their ChannelError. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`${size} bytes, over the ${limit}-byte limit`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a body chunk by chunk and gives up as soon as it passes `limit`, without buffering the rest:
 * a platform's announced size can be missing or wrong.
 */
export async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new BodyTooLargeError(total, limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
