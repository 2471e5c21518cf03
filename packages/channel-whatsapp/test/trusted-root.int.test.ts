import { type FakeWhatsApp, registeredCreds, startFakeWhatsApp } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WhatsAppChannel } from '../src/index.ts';
import { fakeChannel, linkedSession, recordingContext, states } from './harness.ts';

// This file deliberately does not call trustFakeWhatsAppCertificates: the adapter's own
// trustedRootPublicKey option must be enough, as in an end-to-end run of the whole server.
let fake: FakeWhatsApp;
let channel: WhatsAppChannel | undefined;

beforeEach(async () => {
  fake = await startFakeWhatsApp();
});
afterEach(async () => {
  await channel?.stop();
  await fake.close();
});

describe('trustedRootPublicKey', () => {
  it('lets the adapter connect to a server whose certificate chain ends in that root', async () => {
    expect(fake.rootPublicKey).toHaveLength(32);
    channel = fakeChannel(fake, await linkedSession(registeredCreds()), {
      trustedRootPublicKey: fake.rootPublicKey,
    });
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['connecting', 'connected']);
  });
});
