import { MemoryChannelSessionStore } from '@loket/core';
import {
  type FakeWhatsApp,
  startFakeWhatsApp,
  trustFakeWhatsAppCertificates,
  waitUntil,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WhatsAppChannel } from '../src/index.ts';
import { fakeChannel, lastStatus, recordingContext, states, storedCreds } from './harness.ts';

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

describe('WhatsApp pairing against the fake server', () => {
  it('starts a fresh session in needs_pairing with a QR, and hands out a pairing code', async () => {
    const channel = track(fakeChannel(fake, new MemoryChannelSessionStore()));
    await expect(channel.requestPairingCode('6281234567890')).rejects.toMatchObject({ code: 'NOT_READY' });
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['connecting', 'needs_pairing']);
    const qr = channel.currentQr();
    expect(qr?.qr.split(',').length).toBeGreaterThanOrEqual(4);
    expect(qr!.expiresAt.getTime()).toBeGreaterThan(Date.now());

    await expect(channel.requestPairingCode('0812')).rejects.toMatchObject({ code: 'INVALID_PHONE_NUMBER' });
    const code = await channel.requestPairingCode('+62 812-3456-7890');
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    const request = await fake.waitForPairingCodeRequest();
    expect(JSON.stringify(request)).toContain('6281234567890');
  });

  it('links after the QR is scanned: pair-success, the 515 restart, then connected, with the session saved', async () => {
    const session = new MemoryChannelSessionStore();
    const channel = track(fakeChannel(fake, session));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await fake.scanQr(channel.currentQr()!.qr, { phoneNumber: '6281234567890' });
    await waitUntil(() => lastStatus(recorder)?.state === 'connected', { timeoutMs: 10_000 });
    expect(recorder.statuses.find((status) => status.detail?.includes('515'))?.state).toBe('connecting');
    expect(channel.currentQr()).toBeNull();
    const creds = await storedCreds(session);
    expect(creds?.me?.id).toMatch(/^6281234567890:\d+@s\.whatsapp\.net$/);
    expect(creds?.account).toBeTruthy();

    // The saved session is enough to come back after a restart.
    await channel.stop();
    const again = track(fakeChannel(fake, session));
    const second = recordingContext();
    await again.start(second.ctx);
    expect(states(second)).toEqual(['connecting', 'connected']);
  });

  it('links with the pairing code typed into the phone', async () => {
    const channel = track(fakeChannel(fake, new MemoryChannelSessionStore()));
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    const code = await channel.requestPairingCode('6281234567890');
    await fake.waitForPairingCodeRequest();
    await fake.enterPairingCode(code);
    await waitUntil(() => lastStatus(recorder)?.state === 'connected', { timeoutMs: 10_000 });
    await expect(channel.requestPairingCode('6281234567890')).rejects.toMatchObject({
      code: 'ALREADY_LINKED',
    });
  });
});
