import { BodyTooLargeError, ChannelError, readAtMost as readBodyAtMost } from '@loket/core';
import type { MediaFetcher } from './types.ts';

/** A download that stalls this long is abandoned; the gateway may ask again later. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

function tooLarge(size: number, limit: number): ChannelError {
  return new ChannelError('instagram', `media is ${size} bytes, over the ${limit}-byte limit`, {
    retryable: false,
    code: 'FILE_TOO_LARGE',
  });
}

/** Core's bounded read, with the over-the-limit failure as this channel's error. */
async function readAtMost(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  try {
    return await readBodyAtMost(body, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw tooLarge(error.size, error.limit);
    throw error;
  }
}

/**
 * Media in direct messages sits on Instagram's CDN behind signed URLs that need no session, so a plain
 * GET fetches it. The size is checked against Content-Length and again while streaming, since the
 * header is not promised. The signature expires after some days: a 403/404 then is final.
 */
export function createMediaFetcher(maxMediaBytes: number): MediaFetcher {
  return async (url, maxBytes) => {
    const limit = Math.min(maxBytes, maxMediaBytes);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ChannelError('instagram', `media download failed: ${reason}`, {
        retryable: true,
        code: 'NETWORK',
        cause: error,
      });
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      const retryable = response.status === 429 || response.status >= 500;
      throw new ChannelError('instagram', `media download failed: HTTP ${response.status}`, {
        retryable,
        code: retryable ? 'SERVER_ERROR' : 'FILE_UNAVAILABLE',
      });
    }
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (Number.isFinite(declared) && declared > limit) {
      await response.body.cancel();
      throw tooLarge(declared, limit);
    }
    try {
      return await readAtMost(response.body, limit);
    } catch (error) {
      if (error instanceof ChannelError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ChannelError('instagram', `media download broke off: ${reason}`, {
        retryable: true,
        code: 'NETWORK',
        cause: error,
      });
    }
  };
}
