import { type FakeInstagram, startFakeInstagram, waitUntil } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeChannel, lastStatus, newStore, recordingContext, Started, siti, states } from './harness.ts';

let fake: FakeInstagram;
const started = new Started();
const INBOX = '/api/v1/direct_v2/inbox/';

beforeEach(async () => {
  fake = await startFakeInstagram();
});
afterEach(async () => {
  await started.stopAll();
  await fake.close();
});

function gaps(times: Date[]): number[] {
  return times.slice(1).map((time, i) => time.getTime() - (times[i]?.getTime() ?? 0));
}

describe('Instagram failures while polling', () => {
  it('backs off on 429, says so in the status while staying connected, and recovers', async () => {
    const channel = started.track(fakeChannel(fake, newStore(), { pollIntervalMs: 30 }));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await waitUntil(() => fake.inboxCalls >= 2);
    fake.failNext('rate_limit', { count: 3, path: INBOX });
    const before = fake.inboxCalls;

    await waitUntil(
      () =>
        fake.inboxCalls >= before + 4 && lastStatus(recorder)?.detail === 'logged in as @kelurahan.mekarjaya',
      {
        timeoutMs: 5000,
      },
    );
    const limited = recorder.statuses.filter((status) =>
      /rate-limited by Instagram/.test(status.detail ?? ''),
    );
    expect(limited.map((status) => status.detail)).toEqual([
      'logged in as @kelurahan.mekarjaya; rate-limited by Instagram, next poll in 60 ms',
      'logged in as @kelurahan.mekarjaya; rate-limited by Instagram, next poll in 120 ms',
      'logged in as @kelurahan.mekarjaya; rate-limited by Instagram, next poll in 200 ms',
    ]);
    // The account stays logged in throughout: no disconnect, no new login.
    expect(new Set(states(recorder))).toEqual(new Set(['starting', 'connected']));
    expect(fake.loginCalls).toBe(1);
    // The waits between the limited calls grew.
    const [, second, third, fourth] = gaps(
      fake
        .callsTo(INBOX)
        .slice(before - 1, before + 4)
        .map((call) => call.at),
    );
    expect(second).toBeGreaterThanOrEqual(55);
    expect(third).toBeGreaterThanOrEqual(115);
    expect(fourth).toBeGreaterThanOrEqual(195);

    fake.pushText(siti, 'sudah bisa?');
    await waitUntil(() => recorder.stored.length === 1);
  });

  it('reports disconnected on network failures and 5xx, retries, and takes messages in afterwards', async () => {
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.failNext('connection_reset', { path: INBOX });
    fake.failNext('server_error', { path: INBOX });
    await waitUntil(() => states(recorder).includes('disconnected'));
    await waitUntil(() => lastStatus(recorder)?.state === 'connected');
    const details = recorder.statuses
      .filter((status) => status.state === 'disconnected')
      .map((s) => s.detail);
    expect(details).toEqual([
      expect.stringMatching(/^network error: .*; retrying in 20 ms$/),
      expect.stringMatching(/^HTTP 500: .*; retrying in 40 ms$/),
    ]);
    fake.pushText(siti, 'halo lagi');
    await waitUntil(() => recorder.stored.length === 1);
    expect(fake.loginCalls).toBe(1);
  });

  it('keeps trying to log in while Instagram cannot be reached at start', async () => {
    fake.failNext('connection_reset', { path: '/api/v1/qe/sync/', count: 2 });
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    // start() resolves with the first outcome; the retries go on behind it.
    expect(states(recorder)).toEqual(['starting', 'disconnected']);
    await waitUntil(() => lastStatus(recorder)?.state === 'connected');
    expect(fake.loginCalls).toBe(1);
  });

  it('waits out a rate limit on login without reporting it as an outage', async () => {
    fake.failNext('rate_limit', { path: '/api/v1/accounts/login/' });
    const channel = started.track(fakeChannel(fake, newStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(recorder.statuses[1]).toEqual({
      state: 'connecting',
      detail: 'rate-limited by Instagram; next login attempt in 60 ms',
    });
    await waitUntil(() => lastStatus(recorder)?.state === 'connected');
    expect(fake.loginCalls).toBe(2);
  });

  it('retries the poll slowly while a checkpoint blocks the session, without logging in again', async () => {
    const channel = started.track(fakeChannel(fake, newStore(), { challengeRetryMs: 100 }));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.requireChallenge('api_checkpoint');
    await waitUntil(() => lastStatus(recorder)?.state === 'challenge_required');
    fake.resolveChallenge();
    await waitUntil(() => lastStatus(recorder)?.state === 'connected');
    expect(fake.loginCalls).toBe(1);
  });
});
