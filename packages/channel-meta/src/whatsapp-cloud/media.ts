import { ChannelError } from '@loket/core';
import { type GraphClient, tooLarge } from '../graph-client.ts';
import type { MediaFetcher } from '../types.ts';

type MediaInfo = { url?: string; mime_type?: string; file_size?: number | string; id?: string };

/**
 * Inbound media: `GET /{media-id}` for a short-lived URL, then a GET of that URL, both with the token.
 * The URL expires within minutes, so it is looked up afresh on every fetch.
 */
export function whatsappMediaFetcher(
  client: GraphClient,
  channelLimit: number,
): (mediaId: string) => MediaFetcher {
  return (mediaId) => async (maxBytes) => {
    const limit = Math.min(maxBytes, channelLimit);
    const info = await client.call<MediaInfo>('media lookup', { method: 'GET', path: [mediaId] });
    const announced = Number(info.file_size);
    if (Number.isFinite(announced) && announced > limit) throw tooLarge('whatsapp-cloud', announced, limit);
    if (!info.url || !/^https?:\/\//.test(info.url)) {
      throw new ChannelError('whatsapp-cloud', 'WhatsApp returned no download URL for the file.', {
        retryable: false,
        code: 'FILE_UNAVAILABLE',
      });
    }
    return client.download('media download', info.url, { bearer: true, maxBytes: limit });
  };
}
