import { ChannelError, MemoryChannelSessionStore } from '@loket/core';
import {
  type FakeWhatsApp,
  freePort,
  registeredCreds,
  startFakeWhatsApp,
  trustFakeWhatsAppCertificates,
  waitUntil,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWhatsAppChannel, type WhatsAppChannel } from '../src/index.ts';
import { fakeChannel, lastStatus, linkedSession, recordingContext, states, storedCreds } from './harness.ts';

let fake: FakeWhatsApp;
const channels: WhatsAppChannel[] = [];

function track(channel: WhatsAppChannel): WhatsAppChannel {
  channels.push(channel);
  return channel;
}

beforeEach(async () => {
  fake = await startFakeWhatsApp();
  trustFakeWhatsAppCertificates(fake);
});
afterEach(async () => {
  await Promise.all(channels.splice(0).map((channel) => channel.stop()));
  await fake.close();
});

describe('WhatsApp connection against the fake server', () => {
  it('connects with a linked session from the store', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['connecting', 'connected']);
    expect(lastStatus(recorder)?.detail).toBe('Linked as +6281234567890.');
    expect(channel.currentQr()).toBeNull();
    expect(fake.connectionCount).toBe(1);
  });

  it('reconnects after the server drops the connection', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.dropConnection();
    await fake.waitForLogin(2);
    await waitUntil(() => states(recorder).filter((state) => state === 'connected').length === 2);
    const closed = recorder.statuses.find((status) => status.state === 'disconnected');
    expect(closed?.detail).toMatch(/^Connection closed \(428/);
    expect(fake.connectionCount).toBe(2);
  });

  it('recycles a socket that stays open but silent', async () => {
    const channel = track(
      fakeChannel(fake, await linkedSession(registeredCreds()), { watchdogSilenceMs: 400 }),
    );
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await fake.waitForLogin(2);
    const recycled = recorder.statuses.find((status) => status.state === 'disconnected');
    expect(recycled?.detail).toMatch(/^Connection closed \(408: no frames from WhatsApp/);
  });

  it('wipes the session on 401 and goes back to needs_pairing with a new QR', async () => {
    const session = await linkedSession(registeredCreds());
    const channel = track(fakeChannel(fake, session));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.failLogin(401);
    await waitUntil(() => lastStatus(recorder)?.state === 'needs_pairing', { timeoutMs: 10_000 });
    expect(states(recorder)).toContain('logged_out');
    expect(channel.currentQr()?.qr).toMatch(/,/);
    const creds = await storedCreds(session);
    expect(creds?.me).toBeUndefined();
    expect(creds?.account).toBeUndefined();
  });

  it('stops as banned on 403, without reconnecting', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.failLogin(403);
    await waitUntil(() => lastStatus(recorder)?.state === 'banned');
    expect(lastStatus(recorder)?.detail).toMatch(/403/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.connectionCount).toBe(1);
    // Stopped by itself, so it can be started again once the admin has looked at the phone.
    await channel.stop();
    await channel.start(recordingContext().ctx);
  });

  it('stops as replaced on 440', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.failLogin(440);
    await waitUntil(() => lastStatus(recorder)?.state === 'replaced');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.connectionCount).toBe(1);
  });

  it('rejects start() when WhatsApp refuses the account at the first login', async () => {
    fake.failLogin(403, { onNextLogin: true });
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const error = await channel.start(recordingContext().ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ code: 'BANNED', retryable: false });
  });

  it('reconnects after a restart of the adapter with the same store, without pairing', async () => {
    const session = await linkedSession(registeredCreds());
    const first = track(fakeChannel(fake, session));
    await first.start(recordingContext().ctx);
    await first.stop();

    const second = track(fakeChannel(fake, session));
    const recorder = recordingContext();
    await second.start(recorder.ctx);
    expect(states(recorder)).toEqual(['connecting', 'connected']);
    expect(fake.connectionCount).toBe(2);
    expect(fake.pairedDevices).toHaveLength(0);
  });

  it('stops promptly, reports it, and can be started again; the start signal stops it too', async () => {
    const channel = track(fakeChannel(fake, await linkedSession(registeredCreds())));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    const began = Date.now();
    await channel.stop();
    expect(Date.now() - began).toBeLessThan(2000);
    expect(lastStatus(recorder)).toEqual({ state: 'disconnected', detail: 'Stopped.' });

    const again = recordingContext();
    await channel.start(again.ctx);
    expect(lastStatus(again)?.state).toBe('connected');
    again.controller.abort();
    await waitUntil(() => lastStatus(again)?.state === 'disconnected');
    await channel.start(recordingContext().ctx);
  });

  it('keeps retrying while WhatsApp is unreachable, and a stop still ends start() promptly', async () => {
    const channel = track(
      createWhatsAppChannel({
        session: new MemoryChannelSessionStore(),
        waWebSocketUrl: `ws://127.0.0.1:${await freePort()}/ws/chat`,
        fireInitQueries: false,
        backoff: { initialDelayMs: 20, maxDelayMs: 50 },
      }),
    );
    const recorder = recordingContext();
    const started = channel.start(recorder.ctx);
    await waitUntil(() => recorder.statuses.filter((status) => status.state === 'disconnected').length >= 1);
    expect(lastStatus(recorder)?.detail).toMatch(/Connection closed/);
    const began = Date.now();
    await channel.stop();
    await started;
    expect(Date.now() - began).toBeLessThan(2000);
    expect(lastStatus(recorder)).toEqual({ state: 'disconnected', detail: 'Stopped.' });
  });
});
