import type { WhatsAppChannelConfig } from './types.ts';

function positive(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new Error(`whatsapp: ${name} must be a positive number`);
  }
}

/** Configuration mistakes fail at boot, with the field named, not at the first reconnect. */
export function validateConfig(config: WhatsAppChannelConfig): void {
  if (!config.session) throw new Error('whatsapp: a session store is required');
  if (config.sessionNamespace !== undefined && config.sessionNamespace.trim() === '') {
    throw new Error('whatsapp: sessionNamespace must not be empty');
  }
  if (config.waWebSocketUrl !== undefined && !/^wss?:\/\/[^\s]+$/.test(config.waWebSocketUrl)) {
    throw new Error('whatsapp: waWebSocketUrl must be a ws:// or wss:// URL');
  }
  if (config.trustedRootPublicKey !== undefined && config.trustedRootPublicKey.length !== 32) {
    throw new Error('whatsapp: trustedRootPublicKey must be a 32-byte Curve25519 public key');
  }
  positive(config.maxMediaBytes, 'maxMediaBytes');
  positive(config.watchdogSilenceMs, 'watchdogSilenceMs');
  positive(config.backoff?.initialDelayMs, 'backoff.initialDelayMs');
  positive(config.backoff?.maxDelayMs, 'backoff.maxDelayMs');
  const interval = config.pacing?.perChatIntervalMs;
  if (interval !== undefined && !(Number.isFinite(interval) && interval >= 0)) {
    throw new Error('whatsapp: pacing.perChatIntervalMs must be zero or more');
  }
  const perMinute = config.pacing?.globalPerMinute;
  if (perMinute !== undefined && !(Number.isInteger(perMinute) && perMinute >= 1)) {
    throw new Error('whatsapp: pacing.globalPerMinute must be a whole number of at least 1');
  }
}
