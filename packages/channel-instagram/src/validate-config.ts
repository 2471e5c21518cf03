import type { InstagramChannelConfig } from './types.ts';

function positive(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new Error(`instagram: ${name} must be a positive number`);
  }
}

/** Configuration mistakes fail at boot, with the field named, not at the first login. */
export function validateConfig(config: InstagramChannelConfig): void {
  if (typeof config.username !== 'string' || !/^[A-Za-z0-9._]{1,30}$/.test(config.username)) {
    throw new Error('instagram: username must be an Instagram username (letters, digits, "." and "_")');
  }
  if (typeof config.password !== 'string' || config.password === '') {
    throw new Error('instagram: password is required');
  }
  const store = config.session;
  if (!store || typeof store.get !== 'function' || typeof store.set !== 'function') {
    throw new Error('instagram: a session store is required');
  }
  if (config.apiRoot !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(config.apiRoot);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '') {
      throw new Error('instagram: apiRoot must be an http(s) URL without query or fragment');
    }
  }
  if (config.approveRequests !== undefined && typeof config.approveRequests !== 'boolean') {
    throw new Error('instagram: approveRequests must be true or false');
  }
  positive(config.pollIntervalMs, 'pollIntervalMs');
  positive(config.maxMediaBytes, 'maxMediaBytes');
  positive(config.challengeRetryMs, 'challengeRetryMs');
  positive(config.backoff?.initialDelayMs, 'backoff.initialDelayMs');
  positive(config.backoff?.maxDelayMs, 'backoff.maxDelayMs');
}

/** `http://host:port` → `http://host:port/`: the library joins its paths to a root with a slash. */
export function normalizeApiRoot(apiRoot: string): string {
  const url = new URL(apiRoot);
  return `${url.origin}${url.pathname.replace(/\/*$/, '/')}`;
}
