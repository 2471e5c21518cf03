import { Boom } from '@hapi/boom';
import { describe, expect, it } from 'vitest';
import { backoffDelay, decideAfterDisconnect, disconnectStatusCode } from './reconnect-policy.ts';

const backoff = { initialDelayMs: 1000, maxDelayMs: 60_000 };
const midJitter = () => 0.5;

describe('decideAfterDisconnect', () => {
  it.each([
    { code: 401, action: 'reconnect', state: 'logged_out', wipe: true, delay: 0 },
    { code: 411, action: 'reconnect', state: 'logged_out', wipe: true, delay: 0 },
    { code: 515, action: 'reconnect', state: 'connecting', wipe: false, delay: 0 },
    { code: 440, action: 'stop', state: 'replaced' },
    { code: 403, action: 'stop', state: 'banned' },
    { code: 408, action: 'reconnect', state: 'disconnected', wipe: false, delay: 750 },
    { code: 428, action: 'reconnect', state: 'disconnected', wipe: false, delay: 750 },
    { code: 500, action: 'reconnect', state: 'disconnected', wipe: false, delay: 750 },
    { code: 503, action: 'reconnect', state: 'disconnected', wipe: false, delay: 750 },
    { code: undefined, action: 'reconnect', state: 'disconnected', wipe: false, delay: 750 },
    { code: 405, action: 'reconnect', state: 'disconnected', wipe: false, delay: 750 },
  ])('$code → $action / $state', ({ code, action, state, wipe, delay }) => {
    const decision = decideAfterDisconnect({ statusCode: code, attempt: 1, backoff, random: midJitter });
    expect(decision.action).toBe(action);
    expect(decision.state).toBe(state);
    expect(decision.detail.length).toBeGreaterThan(10);
    if (decision.action === 'reconnect') {
      expect(decision.wipeSession).toBe(wipe);
      expect(decision.delayMs).toBe(delay);
    }
  });

  it('names the code and the wait in the detail of a retryable close', () => {
    const decision = decideAfterDisconnect({
      statusCode: 428,
      reason: 'Connection Terminated',
      attempt: 3,
      backoff,
      random: midJitter,
    });
    expect(decision).toMatchObject({
      action: 'reconnect',
      delayMs: 3000,
      detail: 'Connection closed (428: Connection Terminated); reconnecting in 3s.',
    });
  });

  it('backs off a 515 that repeats without the socket ever opening', () => {
    const decision = decideAfterDisconnect({ statusCode: 515, attempt: 3, backoff, random: midJitter });
    expect(decision).toMatchObject({ action: 'reconnect', delayMs: 1500 });
  });

  it('keeps the ban reason for the admin', () => {
    const decision = decideAfterDisconnect({
      statusCode: 403,
      reason: 'Connection Failure',
      attempt: 1,
      backoff,
    });
    expect(decision.detail).toContain('403: Connection Failure');
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, is capped, and jitters within the upper half of the step', () => {
    expect(backoffDelay(1, backoff, () => 0)).toBe(500);
    expect(backoffDelay(1, backoff, () => 1)).toBe(1000);
    expect(backoffDelay(4, backoff, () => 1)).toBe(8000);
    expect(backoffDelay(30, backoff, () => 1)).toBe(60_000);
    expect(backoffDelay(30, backoff, () => 0)).toBe(30_000);
  });
});

describe('disconnectStatusCode', () => {
  it('reads a Boom status code, and nothing from anything else', () => {
    expect(disconnectStatusCode(new Boom('Connection Failure', { statusCode: 401 }))).toBe(401);
    expect(disconnectStatusCode({ output: { statusCode: 515 } })).toBe(515);
    expect(disconnectStatusCode(new Error('plain'))).toBeUndefined();
    expect(disconnectStatusCode(undefined)).toBeUndefined();
  });
});
