import { BodyTooLargeError, ChannelError, readAtMost as readBodyAtMost } from '@loket/core';
import type { Telegram } from 'telegraf';
import { redactToken, toChannelError } from './errors.ts';
import type { FileFetcher } from './types.ts';

/** A download that stalls this long is abandoned; the gateway may ask again later. */
const DOWNLOAD_TIMEOUT_MS = 120_000;

function tooLarge(size: number, limit: number): ChannelError {
  return new ChannelError('telegram', `file is ${size} bytes, over the ${limit}-byte limit`, {
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
 * getFile, then a streamed GET of `<apiRoot>/file/bot<token>/<file_path>`. The size is checked three
 * times: against the size the update announced (before any call), against getFile's file_size and
 * Content-Length, and while streaming, since neither number is promised.
 */
export function createFileFetcher(options: {
  telegram: Telegram;
  apiRoot: string;
  token: string;
  maxFileBytes: number;
}): FileFetcher {
  return async (fileId, announcedSize, maxBytes) => {
    const limit = Math.min(maxBytes, options.maxFileBytes);
    if (announcedSize !== undefined && announcedSize > limit) throw tooLarge(announcedSize, limit);

    let filePath: string | undefined;
    try {
      const file = await options.telegram.callApi('getFile', { file_id: fileId });
      if (file.file_size !== undefined && file.file_size > limit) throw tooLarge(file.file_size, limit);
      filePath = file.file_path;
    } catch (error) {
      throw toChannelError(error, 'getFile');
    }
    if (!filePath) {
      throw new ChannelError('telegram', 'getFile returned no file_path', {
        retryable: false,
        code: 'FILE_UNAVAILABLE',
      });
    }

    let response: Response;
    try {
      response = await fetch(`${options.apiRoot}/file/bot${options.token}/${filePath}`, {
        signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS),
      });
    } catch (error) {
      const reason = redactToken(error instanceof Error ? error.message : String(error));
      throw new ChannelError('telegram', `file download failed: ${reason}`, {
        retryable: true,
        code: 'NETWORK',
      });
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new ChannelError('telegram', `file download failed: HTTP ${response.status}`, {
        retryable: response.status === 429 || response.status >= 500,
        code: response.status >= 500 ? 'SERVER_ERROR' : 'FILE_UNAVAILABLE',
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
      const reason = redactToken(error instanceof Error ? error.message : String(error));
      throw new ChannelError('telegram', `file download broke off: ${reason}`, {
        retryable: true,
        code: 'NETWORK',
      });
    }
  };
}
