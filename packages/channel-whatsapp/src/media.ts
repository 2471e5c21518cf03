import { ChannelError } from '@loket/core';
import { downloadMediaMessage, type WAMessage, type WASocket } from '@whiskeysockets/baileys';
import type { BaileysLogger } from './baileys-logger.ts';
import { disconnectStatusCode } from './reconnect-policy.ts';
import type { MediaFetcher } from './types.ts';

/** A download that stalls this long is abandoned; the gateway may ask again later. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

function tooLarge(size: number, limit: number): ChannelError {
  return new ChannelError('whatsapp', `media is ${size} bytes, over the ${limit}-byte limit`, {
    retryable: false,
    code: 'FILE_TOO_LARGE',
  });
}

/** Reads a stream chunk by chunk and gives up as soon as it passes `limit`, without buffering the rest. */
export async function readAtMost(
  stream: AsyncIterable<Uint8Array> & { destroy(error?: Error): void },
  limit: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.byteLength;
    if (total > limit) {
      stream.destroy();
      throw tooLarge(total, limit);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function downloadError(error: unknown, stage: string): ChannelError {
  if (error instanceof ChannelError) return error;
  const status = disconnectStatusCode(error);
  const reason = error instanceof Error ? error.message : String(error);
  // 404/410: the file expired on WhatsApp's servers and the phone could not upload it again.
  const gone = status === 404 || status === 410;
  if (/bad decrypt|wrong final block length/i.test(reason)) {
    return new ChannelError('whatsapp', `media ${stage} failed: the file does not decrypt`, {
      retryable: false,
      code: 'MEDIA_CORRUPT',
      cause: error,
    });
  }
  return new ChannelError('whatsapp', `media ${stage} failed: ${reason}`, {
    retryable: !gone && status !== 400,
    code: gone ? 'FILE_UNAVAILABLE' : status === 400 ? 'NOT_MEDIA' : 'NETWORK',
    cause: error,
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(
        new ChannelError('whatsapp', `media download timed out after ${ms / 1000}s`, {
          retryable: true,
          code: 'TIMEOUT',
        }),
      );
    }, ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * Downloads and decrypts a message's media with Baileys' downloadMediaMessage, as a stream so the
 * size limit holds while downloading: the announced `fileLength` is checked first, but it is the
 * sender's claim. When WhatsApp's CDN no longer has the file, Baileys asks the phone to upload it
 * again through the socket that is current at download time (`updateMediaMessage`).
 */
export function createMediaFetcher(options: {
  getSocket: () => WASocket | undefined;
  maxMediaBytes: number;
  logger: BaileysLogger;
  timeoutMs?: number;
}): MediaFetcher {
  return async (message: WAMessage, announcedSize, maxBytes) => {
    const limit = Math.min(maxBytes, options.maxMediaBytes);
    if (announcedSize !== undefined && announcedSize > limit) throw tooLarge(announcedSize, limit);
    const sock = options.getSocket();
    const context = sock ? { reuploadRequest: sock.updateMediaMessage, logger: options.logger } : undefined;
    let destroy = () => {};
    const download = async () => {
      let stream: Awaited<ReturnType<typeof downloadMediaMessage<'stream'>>>;
      try {
        stream = await downloadMediaMessage(message, 'stream', {}, context);
      } catch (error) {
        throw downloadError(error, 'download');
      }
      destroy = () => stream.destroy();
      try {
        return await readAtMost(stream, limit);
      } catch (error) {
        // A bad key or a truncated file fails in the decipher, mid-stream, as does a dropped connection.
        throw downloadError(error, 'stream');
      }
    };
    return withTimeout(download(), options.timeoutMs ?? DOWNLOAD_TIMEOUT_MS, () => destroy());
  };
}
