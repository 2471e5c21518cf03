import { type FakeInstagram, startFakeInstagram, waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  fakeChannel,
  lastStatus,
  newStore,
  recordingContext,
  Started,
  savedCookie,
  savedState,
  siti,
  sleep,
  states,
} from './harness.ts';

let fake: FakeInstagram;
const started = new Started();

beforeEach(async () => {
  fake = await startFakeInstagram();
});
afterEach(async () => {
  await started.stopAll();
  await fake.close();
});

describe('Instagram login and session', () => {
  it('logs in fresh, reports connected, and saves the session without the library constants', async () => {
    const store = newStore();
    const channel = started.track(fakeChannel(fake, store));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);

    expect(states(recorder)).toEqual(['starting', 'connected']);
    expect(lastStatus(recorder)?.detail).toBe('logged in as @kelurahan.mekarjaya');
    expect(channel.currentStatus()).toEqual(lastStatus(recorder));
    expect(fake.loginCalls).toBe(1);
    const state = savedState(store);
    expect(state?.constants).toBeUndefined();
    expect(state?.authorization).toMatch(/^Bearer IGT:2:/);
    expect(savedCookie(store, 'ds_user_id')).toBe(fake.account.pk);
    expect(savedCookie(store, 'sessionid')).toBeDefined();
    await waitUntil(() => fake.inboxCalls >= 1 && fake.pendingInboxCalls >= 1);
  });

  it('restores the saved session on the next start without logging in again', async () => {
    const store = newStore();
    const first = started.track(fakeChannel(fake, store));
    await first.start(recordingContext().ctx);
    await first.stop();
    expect(fake.loginCalls).toBe(1);

    const second = started.track(fakeChannel(fake, store));
    const recorder = recordingContext();
    await second.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'connected']);
    expect(fake.loginCalls).toBe(1);
    expect(fake.currentUserCalls).toBe(1);

    fake.pushText(siti, 'Apakah bisa urus akta kelahiran online?');
    await waitUntil(() => recorder.stored.length === 1);
    expect(fake.loginCalls).toBe(1);
  });

  it('logs in again when the restored session answers login_required', async () => {
    const store = newStore();
    const first = started.track(fakeChannel(fake, store));
    await first.start(recordingContext().ctx);
    await first.stop();
    const oldSession = savedCookie(store, 'sessionid');
    fake.invalidateSessions();

    const second = started.track(fakeChannel(fake, store));
    const recorder = recordingContext();
    await second.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'connected']);
    expect(fake.loginCalls).toBe(2);
    expect(savedCookie(store, 'sessionid')).not.toBe(oldSession);
    fake.pushText(siti, 'halo');
    await waitUntil(() => recorder.stored.length === 1);
  });

  it('logs in again when Instagram ends the session while polling, and keeps taking messages in', async () => {
    const store = newStore();
    const channel = started.track(fakeChannel(fake, store));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.inboxCalls >= 2);
    fake.invalidateSessions();

    await waitUntil(() => fake.loginCalls === 2 && lastStatus(recorder)?.state === 'connected');
    expect(recorder.statuses).toContainEqual({
      state: 'connecting',
      detail: 'Instagram ended the session; logging in again',
    });
    fake.pushText(siti, 'masih buka?');
    await waitUntil(() => recorder.stored.length === 1);
    expect(fake.activeSessions).toBe(1);
  });

  it.each([
    ['a wrong password', { password: 'salah-sandi' }, /rejected the password/],
    ['an unknown username', { username: 'kelurahan.lain' }, /does not know this username/],
  ])('reports needs_login for %s and does not try again', async (_, overrides, detail) => {
    const channel = started.track(fakeChannel(fake, newStore(), overrides));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'needs_login']);
    expect(lastStatus(recorder)?.detail).toMatch(detail);
    expect(lastStatus(recorder)?.detail).toMatch(/restart the channel/);
    await sleep(150);
    expect(fake.loginCalls).toBe(1);
    expect(fake.inboxCalls).toBe(0);
    await expect(
      channel.send({ channel: 'instagram', externalThreadId: '1' }, { text: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_CONNECTED', retryable: true });
  });

  it('reports needs_login when Instagram logs the account out right after a fresh login', async () => {
    fake.failNext('login_required', { path: '/api/v1/direct_v2/inbox/' });
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => lastStatus(recorder)?.state === 'needs_login');
    expect(states(recorder)).toEqual(['starting', 'connected', 'needs_login']);
    expect(lastStatus(recorder)?.detail).toMatch(
      /keeps logging @kelurahan.mekarjaya out, even right after a fresh login/,
    );
    await sleep(100);
    expect(fake.loginCalls).toBe(1);
  });

  it('gives up with needs_login when Instagram ends working sessions again and again', async () => {
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    for (let round = 1; round <= 4; round += 1) {
      const polls = fake.inboxCalls;
      // A poll that succeeds on the current session, so it is not a fresh login's first one.
      await waitUntil(() => fake.inboxCalls >= polls + 2);
      fake.invalidateSessions();
      if (round < 4) await waitUntil(() => fake.loginCalls === round + 1);
    }
    await waitUntil(() => lastStatus(recorder)?.state === 'needs_login');
    expect(fake.loginCalls).toBe(4);
    expect(lastStatus(recorder)?.detail).toMatch(/keeps logging @kelurahan.mekarjaya out/);
  });

  it('reports challenge_required on a checkpoint, tells the admin what to do, and connects once approved', async () => {
    fake.requireChallenge('login_checkpoint');
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'challenge_required']);
    expect(lastStatus(recorder)?.detail).toMatch(/Open the Instagram app .* "This was me"/);

    await waitUntil(() => fake.loginCalls >= 2);
    fake.resolveChallenge();
    await waitUntil(() => lastStatus(recorder)?.state === 'connected');
    fake.pushText(siti, 'halo');
    await waitUntil(() => recorder.stored.length === 1);
  });

  it('reports challenge_required for two-factor authentication and stops trying', async () => {
    fake.requireChallenge('two_factor');
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'challenge_required']);
    expect(lastStatus(recorder)?.detail).toMatch(/Two-factor authentication is on/);
    await sleep(150);
    expect(fake.loginCalls).toBe(1);
  });

  it('saves the session again when Instagram changes a cookie', async () => {
    const store = newStore();
    const channel = started.track(fakeChannel(fake, store));
    await channel.start(recordingContext().ctx);
    const before = savedCookie(store, 'rur');
    expect(before).toBe(fake.rurCookie);
    fake.rotateCookies();
    await waitUntil(() => savedCookie(store, 'rur') === fake.rurCookie);
    expect(savedCookie(store, 'rur')).not.toBe(before);
  });

  it('stop() ends polling without waiting for the next poll, and polls no more', async () => {
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.inboxCalls >= 3);
    await channel.stop();
    // A call the library had already sent may still reach the fake (it cannot be cancelled, and its
    // answer is ignored); after that settles, nothing more comes.
    await sleep(150);
    const calls = fake.requests.length;
    await sleep(300);
    expect(fake.requests.length).toBe(calls);
    expect(lastStatus(recorder)).toEqual({ state: 'disconnected', detail: 'stopped' });
    await expect(
      channel.send({ channel: 'instagram', externalThreadId: '1' }, { text: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('stops when the start context signal aborts, and can be started again', async () => {
    const store = newStore();
    const channel = started.track(fakeChannel(fake, store));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.inboxCalls >= 2);
    recorder.controller.abort();
    await waitUntil(() => lastStatus(recorder)?.state === 'disconnected');
    const calls = fake.inboxCalls;
    await sleep(150);
    expect(fake.inboxCalls).toBe(calls);

    const again = recordingContext();
    await channel.start(again.ctx);
    expect(states(again)).toEqual(['starting', 'connected']);
    expect(fake.loginCalls).toBe(1);
  });

  it('stop() does not wait for a store that hangs', async () => {
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext(() => new Promise(() => {}));
    await channel.start(recorder.ctx);
    fake.pushText(siti, 'macet');
    await waitUntil(() => recorder.attempts.length === 1);
    // The store never settles: stop() resolving at all shows it does not wait for it.
    await channel.stop();
    expect(lastStatus(recorder)).toEqual({ state: 'disconnected', detail: 'stopped' });
  });

  it('refuses a configuration without credentials or with a malformed API root', () => {
    expect(() => fakeChannel(fake, newStore(), { password: '' })).toThrow(/password is required/);
    expect(() => fakeChannel(fake, newStore(), { username: 'bukan username' })).toThrow(/username/);
    expect(() => fakeChannel(fake, newStore(), { apiRoot: 'ftp://x' })).toThrow(/apiRoot/);
    expect(() => fakeChannel(fake, newStore(), { pollIntervalMs: 0 })).toThrow(/pollIntervalMs/);
  });
});
