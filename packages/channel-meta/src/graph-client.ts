import { BodyTooLargeError, ChannelError, readAtMost as readBodyAtMost } from '@loket/core';
import {
  classifyGraphError,
  failureMessage,
  graphChannelError,
  type MetaChannelName,
  networkChannelError,
  parseGraphErrorBody,
} from './errors.ts';
import type { MetaLogger } from './types.ts';

/** A download that stalls this long is abandoned; the gateway may ask again later. */
const DOWNLOAD_TIMEOUT_MS = 120_000;
/** Error bodies are small JSON; a proxy's page is not worth reading in full. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export type GraphClientOptions = {
  channel: MetaChannelName;
  /** Root without a trailing slash, e.g. https://graph.facebook.com. */
  apiRoot: string;
  version: string;
  accessToken: string;
  requestTimeoutMs: number;
  logger: MetaLogger;
  /** Called with the officer-facing explanation whenever Meta says the token is expired or revoked. */
  onAuthFailure(detail: string): void;
};

export type GraphCall = {
  method: 'GET' | 'POST';
  /** Path segments after the version, each URL-encoded here: ['123', 'messages']. */
  path: string[];
  query?: Record<string, string>;
  json?: unknown;
  form?: FormData;
  signal?: AbortSignal;
};

export type GraphClient = {
  /** A Graph API call answered with JSON. Throws ChannelError, classified. */
  call<T>(what: string, request: GraphCall): Promise<T>;
  /** GETs a file, refusing anything over `maxBytes`; with the token only when `bearer` (WhatsApp media). */
  download(what: string, url: string, options: { bearer: boolean; maxBytes: number }): Promise<Uint8Array>;
};

export function tooLarge(channel: MetaChannelName, size: number, limit: number): ChannelError {
  return new ChannelError(channel, `The file is ${size} bytes, over the ${limit}-byte limit.`, {
    retryable: false,
    code: 'FILE_TOO_LARGE',
  });
}

/** Core's bounded read, with the over-the-limit failure as this channel's error. */
async function readAtMost(
  channel: MetaChannelName,
  body: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array> {
  try {
    return await readBodyAtMost(body, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw tooLarge(channel, error.size, error.limit);
    throw error;
  }
}

async function readErrorBody(channel: MetaChannelName, response: Response): Promise<unknown> {
  try {
    if (!response.body) return undefined;
    const bytes = await readAtMost(channel, response.body, MAX_ERROR_BODY_BYTES);
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const { channel, logger } = options;

  /**
   * Every HTTP request to Meta goes through here: one place adds the token, applies the timeout, and
   * turns refused connections and error answers into classified ChannelErrors.
   */
  async function graphFetch(
    what: string,
    url: string,
    init: { method: string; body?: string | FormData; headers?: Record<string, string>; bearer: boolean },
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (init.bearer) headers.authorization = `Bearer ${options.accessToken}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: init.method,
        headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw networkChannelError(channel, what, error);
    }
    if (response.ok) return response;

    const error = parseGraphErrorBody(await readErrorBody(channel, response));
    const input = {
      httpStatus: response.status,
      error,
      retryAfterHeader: response.headers.get('retry-after'),
    };
    const failure = classifyGraphError(channel, input);
    logger.warn(
      {
        what,
        httpStatus: response.status,
        code: error?.code,
        subcode: error?.error_subcode,
        fbtraceId: error?.fbtrace_id,
        retryable: failure.retryable,
      },
      'Meta Graph API call failed',
    );
    if (failure.authFailure) options.onAuthFailure(failureMessage(failure, error));
    throw graphChannelError(channel, input);
  }

  function graphUrl(request: GraphCall): string {
    const path = [options.version, ...request.path].map(encodeURIComponent).join('/');
    const query = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
    return `${options.apiRoot}/${path}${query}`;
  }

  return {
    async call<T>(what: string, request: GraphCall): Promise<T> {
      const body = request.form ?? (request.json === undefined ? undefined : JSON.stringify(request.json));
      const headers: Record<string, string> =
        request.json === undefined ? {} : { 'content-type': 'application/json' };
      const response = await graphFetch(
        what,
        graphUrl(request),
        { method: request.method, headers, bearer: true, ...(body === undefined ? {} : { body }) },
        options.requestTimeoutMs,
        request.signal,
      );
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw networkChannelError(channel, what, error);
      }
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ChannelError(channel, `Meta answered ${what} with something that is not JSON.`, {
          retryable: true,
          code: 'BAD_RESPONSE',
        });
      }
    },

    async download(what, url, { bearer, maxBytes }) {
      const response = await graphFetch(what, url, { method: 'GET', bearer }, DOWNLOAD_TIMEOUT_MS);
      if (!response.body) return new Uint8Array();
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (Number.isFinite(declared) && declared > maxBytes) {
        await response.body.cancel();
        throw tooLarge(channel, declared, maxBytes);
      }
      try {
        return await readAtMost(channel, response.body, maxBytes);
      } catch (error) {
        if (error instanceof ChannelError) throw error;
        throw networkChannelError(channel, what, error);
      }
    },
  };
}
