import type { RetryBackoff } from './types.ts';

export const DEFAULT_GRAPH_API_VERSION = 'v21.0';
/** WhatsApp's own ceiling for a document; Instagram's files are smaller. */
export const DEFAULT_MAX_MEDIA_BYTES = 100 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_BACKOFF: RetryBackoff = { initialDelayMs: 2000, maxDelayMs: 5 * 60_000 };

export type CommonInput = {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
  graphApiRoot?: string;
  graphApiVersion?: string;
  maxMediaBytes?: number;
  requestTimeoutMs?: number;
  backoff?: Partial<RetryBackoff>;
};

export type ResolvedCommon = {
  apiRoot: string;
  version: string;
  maxMediaBytes: number;
  requestTimeoutMs: number;
  backoff: RetryBackoff;
};

function nonEmptySecret(channel: string, name: string, value: unknown): void {
  // The value is never echoed: it is a secret.
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`${channel}: ${name} is empty`);
  if (/\s/.test(value)) throw new Error(`${channel}: ${name} contains whitespace (a copy-paste mistake?)`);
}

export function requireNumericId(channel: string, name: string, value: unknown, hint: string): void {
  if (typeof value !== 'string' || !/^\d{1,30}$/.test(value)) {
    throw new Error(`${channel}: ${name} must be a numeric id (${hint}), got ${JSON.stringify(value)}`);
  }
}

/** `https://host/path/` → `https://host/path`, so Graph URLs are joined the same way everywhere. */
function normalizeApiRoot(channel: string, root: string): string {
  let url: URL;
  try {
    url = new URL(root);
  } catch {
    throw new Error(`${channel}: graphApiRoot is not a URL: ${JSON.stringify(root)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`${channel}: graphApiRoot must be an http(s) URL, got ${JSON.stringify(root)}`);
  }
  if (url.search || url.hash) throw new Error(`${channel}: graphApiRoot must not have a query or fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Checks what both adapters share and fills in the defaults; throws a clear Error on a mistake. */
export function resolveCommonConfig(
  channel: string,
  config: CommonInput,
  defaultRoot: string,
): ResolvedCommon {
  nonEmptySecret(channel, 'accessToken', config.accessToken);
  nonEmptySecret(channel, 'appSecret', config.appSecret);
  if (typeof config.verifyToken !== 'string' || config.verifyToken === '') {
    throw new Error(`${channel}: verifyToken is empty`);
  }
  const version = config.graphApiVersion ?? DEFAULT_GRAPH_API_VERSION;
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new Error(`${channel}: graphApiVersion must look like v21.0, got ${JSON.stringify(version)}`);
  }
  const maxMediaBytes = config.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES;
  if (!Number.isSafeInteger(maxMediaBytes) || maxMediaBytes <= 0) {
    throw new Error(`${channel}: maxMediaBytes must be a positive whole number of bytes`);
  }
  const requestTimeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (!(requestTimeoutMs > 0)) throw new Error(`${channel}: requestTimeoutMs must be positive`);
  const backoff = { ...DEFAULT_BACKOFF, ...config.backoff };
  if (!(backoff.initialDelayMs > 0) || !(backoff.maxDelayMs >= backoff.initialDelayMs)) {
    throw new Error(`${channel}: backoff needs 0 < initialDelayMs <= maxDelayMs`);
  }
  return {
    apiRoot: normalizeApiRoot(channel, config.graphApiRoot ?? defaultRoot),
    version,
    maxMediaBytes,
    requestTimeoutMs,
    backoff,
  };
}
