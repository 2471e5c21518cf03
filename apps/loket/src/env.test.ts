import { describe, expect, it } from 'vitest';
import { EnvError, readEnv } from './env.ts';

describe('readEnv', () => {
  it('gives the contract defaults for an empty environment', () => {
    const env = readEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      LOG_LEVEL: 'info',
      BODY_LIMIT: 1024 * 1024,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(readEnv({ DATABASE_URL: '', TELEGRAM_BOT_TOKEN: '  ' }).TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it('names every wrong variable in one clear message', () => {
    const attempt = () => readEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TELEGRAM_BOT_TOKEN: 'nope' });
    expect(attempt).toThrow(EnvError);
    expect(attempt).toThrow(/PORT/);
    expect(attempt).toThrow(/DATABASE_URL: a postgres:\/\/ URL/);
    expect(attempt).toThrow(/TELEGRAM_BOT_TOKEN/);
  });

  it('requires a secret for webhook mode', () => {
    expect(() => readEnv({ TELEGRAM_WEBHOOK_URL: 'https://loket.example/webhooks/telegram' })).toThrow(
      /TELEGRAM_WEBHOOK_SECRET/,
    );
  });
  it('defaults the Instagram and Meta settings that are not secret', () => {
    expect(readEnv({})).toMatchObject({
      INSTAGRAM_API_ROOT: 'https://i.instagram.com/',
      INSTAGRAM_POLL_INTERVAL_MS: 20_000,
      INSTAGRAM_APPROVE_REQUESTS: true,
      WHATSAPP_CLOUD_API_ROOT: 'https://graph.facebook.com',
      INSTAGRAM_GRAPH_API_ROOT: 'https://graph.instagram.com',
      INSTAGRAM_GRAPH_HUMAN_AGENT: false,
      META_GRAPH_API_VERSION: 'v21.0',
    });
    expect(readEnv({ INSTAGRAM_APPROVE_REQUESTS: 'false' }).INSTAGRAM_APPROVE_REQUESTS).toBe(false);
  });

  it('switches failing webhooks off after 3 days unless told otherwise, and not after less than a minute', () => {
    expect(readEnv({}).WEBHOOK_DISABLE_AFTER_MS).toBe(3 * 24 * 60 * 60_000);
    expect(readEnv({ WEBHOOK_DISABLE_AFTER_MS: '3600000' }).WEBHOOK_DISABLE_AFTER_MS).toBe(3_600_000);
    expect(() => readEnv({ WEBHOOK_DISABLE_AFTER_MS: '1000' })).toThrow(/WEBHOOK_DISABLE_AFTER_MS/);
  });

  it('asks for the rest of a channel’s settings when only some are set', () => {
    const attempt = () =>
      readEnv({ WHATSAPP_CLOUD_ACCESS_TOKEN: 'EAAG-token-value', WHATSAPP_CLOUD_PHONE_NUMBER_ID: '1234' });
    expect(attempt).toThrow(/WHATSAPP_CLOUD_APP_SECRET: required for WhatsApp Cloud/);
    expect(attempt).toThrow(/WHATSAPP_CLOUD_VERIFY_TOKEN/);
    expect(() => readEnv({ INSTAGRAM_USERNAME: 'disdukcapil.depok' })).toThrow(/INSTAGRAM_PASSWORD/);
    expect(() => readEnv({ INSTAGRAM_GRAPH_ACCOUNT_ID: 'not-a-number' })).toThrow(
      /INSTAGRAM_GRAPH_ACCOUNT_ID: the numeric id/,
    );
  });
});
