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
});
