import {
  type FakeGraph,
  graphFailures,
  recordingContext,
  startFakeGraph,
  waitUntil,
  whatsappMessages,
  whatsappWebhook,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MetaChannel } from '../src/index.ts';
import { SITI_WA_ID, signed, states, whatsappChannel } from './harness.ts';

let fake: FakeGraph;
let channel: MetaChannel;

beforeEach(async () => {
  fake = await startFakeGraph();
});
afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const tokenChecks = () => fake.requests.filter((r) => r.path === `/v21.0/${fake.phoneNumberId}`);

describe('WhatsApp Cloud status on start', () => {
  it('checks the token with one cheap call and reports the number as connected', async () => {
    channel = whatsappChannel(fake);
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(recorder.statuses).toEqual([
      { state: 'starting' },
      { state: 'connected', detail: '+62 21-5550-1234 (Kelurahan Beji)' },
    ]);
    expect(tokenChecks()).toHaveLength(1);
    expect(tokenChecks()[0]?.query).toEqual({ fields: 'display_phone_number,verified_name' });
  });

  it('reports needs_login for a refused token, returns, and still takes webhooks', async () => {
    channel = whatsappChannel(fake, { accessToken: 'EAAG-wrong-token' });
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'needs_login']);
    expect(recorder.statuses[1]?.detail).toMatch(/access token.*Meta error 190/);
    const payload = whatsappWebhook({
      phoneNumberId: fake.phoneNumberId,
      messages: [whatsappMessages.text({ from: SITI_WA_ID, body: 'halo' })],
    });
    expect(await channel.handleWebhook(signed(payload))).toEqual({ status: 200 });
    expect(recorder.stored).toHaveLength(1);
    expect(tokenChecks()).toHaveLength(1);
  });

  it('reports disconnected while Meta fails, and connected once it answers', async () => {
    fake.failNext('token-check', graphFailures.connectionReset());
    fake.failNext('token-check', graphFailures.serverError());
    channel = whatsappChannel(fake);
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'disconnected']);
    expect(recorder.statuses[1]?.detail).toMatch(/Could not reach WhatsApp/);
    await waitUntil(() => states(recorder).includes('connected'));
    expect(states(recorder)).toEqual(['starting', 'disconnected', 'connected']);
    expect(tokenChecks()).toHaveLength(3);
  });

  it('returns promptly when Meta is unreachable, and stop() ends the retries', async () => {
    const root = fake.apiRoot;
    await fake.close();
    channel = whatsappChannel(fake, { graphApiRoot: root });
    const recorder = recordingContext();
    // Meta never comes back: start() resolving at all shows it does not wait for a good token check.
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'disconnected']);
    expect(
      await channel.handleWebhook(signed(whatsappWebhook({ phoneNumberId: fake.phoneNumberId }))),
    ).toEqual({
      status: 200,
    });
    await channel.stop();
    expect(
      await channel.handleWebhook(signed(whatsappWebhook({ phoneNumberId: fake.phoneNumberId }))),
    ).toEqual({
      status: 503,
    });
  });

  it('reports error for a refusal retrying cannot fix', async () => {
    fake.failNext('token-check', { httpStatus: 403, code: 200, message: '(#200) Permissions error' });
    channel = whatsappChannel(fake);
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'error']);
    expect(recorder.statuses[1]?.detail).toMatch(/lacks the permission/);
  });

  it('stops when the start signal aborts, and can start again', async () => {
    channel = whatsappChannel(fake);
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    await expect(channel.start(recordingContext().ctx)).rejects.toThrow(/already started/);
    recorder.controller.abort();
    expect(
      await channel.handleWebhook(signed(whatsappWebhook({ phoneNumberId: fake.phoneNumberId }))),
    ).toEqual({
      status: 503,
    });
    const again = recordingContext();
    await channel.start(again.ctx);
    expect(states(again)).toEqual(['starting', 'connected']);
  });
});

describe('WhatsApp Cloud config', () => {
  it('refuses clear mistakes with clear messages', () => {
    expect(() => whatsappChannel(fake, { phoneNumberId: '+62 21 5550' })).toThrow(
      /phoneNumberId must be a numeric id/,
    );
    expect(() => whatsappChannel(fake, { accessToken: '' })).toThrow(/accessToken is empty/);
    expect(() => whatsappChannel(fake, { accessToken: 'EAAG abc' })).toThrow(/whitespace/);
    expect(() => whatsappChannel(fake, { appSecret: '' })).toThrow(/appSecret is empty/);
    expect(() => whatsappChannel(fake, { verifyToken: '' })).toThrow(/verifyToken is empty/);
    expect(() => whatsappChannel(fake, { graphApiRoot: 'graph.facebook.com' })).toThrow(/not a URL/);
    expect(() => whatsappChannel(fake, { graphApiRoot: 'ftp://x' })).toThrow(/http\(s\)/);
    expect(() => whatsappChannel(fake, { graphApiVersion: '21' })).toThrow(/v21\.0/);
    expect(() => whatsappChannel(fake, { maxMediaBytes: 0 })).toThrow(/maxMediaBytes/);
    channel = whatsappChannel(fake);
  });
});
