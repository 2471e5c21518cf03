import { ChannelError, documentsNotCarriedNotice } from '@loket/core';
import { type FakeGraph, graphFailures, recordingContext, startFakeGraph } from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INSTAGRAM_TEXT_LIMIT_BYTES, type MetaChannel } from '../src/index.ts';
import { instagramChannel, SITI_IGSID, states } from './harness.ts';

let fake: FakeGraph;
let channel: MetaChannel;

beforeEach(async () => {
  fake = await startFakeGraph();
  channel = instagramChannel(fake);
});
afterEach(async () => {
  await channel.stop();
  await fake.close();
});

const siti = { channel: 'instagram-graph' as const, externalThreadId: SITI_IGSID };
const pdf = { name: 'surat-domisili.pdf', mime: 'application/pdf', data: new Uint8Array([1, 2, 3]) };

async function sendError(content: Parameters<MetaChannel['send']>[1]): Promise<ChannelError> {
  const error = await channel.send(siti, content).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('Instagram send', () => {
  it('posts a RESPONSE text with the bearer token and returns the message id', async () => {
    const result = await channel.send(siti, { text: 'Kantor buka pukul 08.00.', sentByStaff: true });
    expect(fake.instagramMessages).toHaveLength(1);
    expect(fake.instagramMessages[0]?.body).toEqual({
      recipient: { id: SITI_IGSID },
      message: { text: 'Kantor buka pukul 08.00.' },
      messaging_type: 'RESPONSE',
    });
    expect(result).toEqual({ externalId: fake.instagramMessages[0]?.id });
    expect(fake.requestsTo(`/${fake.igAccountId}/messages`)[0]?.authorization).toBe(
      `Bearer ${fake.accessToken}`,
    );
  });

  it('splits text under 1000 UTF-8 bytes a piece and returns the last id', async () => {
    const text = 'Persyaratan pindah domisili: surat pengantar RT/RW, KK asli, KTP-el. 🙏 '.repeat(40);
    const result = await channel.send(siti, { text });
    expect(fake.instagramMessages.length).toBeGreaterThan(2);
    for (const message of fake.instagramMessages) {
      expect(Buffer.byteLength(message.text ?? '')).toBeLessThan(INSTAGRAM_TEXT_LIMIT_BYTES + 1);
    }
    expect(result.externalId).toBe(fake.instagramMessages.at(-1)?.id);
  });

  it("tags only officers' replies HUMAN_AGENT, and only when enabled", async () => {
    await channel.send(siti, { text: 'otomatis', sentByStaff: true });
    await channel.stop();
    channel = instagramChannel(fake, { humanAgentTag: true });
    await channel.send(siti, { text: 'petugas', sentByStaff: true });
    await channel.send(siti, { text: 'otomatis', sentByStaff: false });
    await channel.send(siti, { text: 'tanpa keterangan' });
    expect(fake.instagramMessages.map((m) => [m.text, m.messagingType, m.tag])).toEqual([
      ['otomatis', 'RESPONSE', undefined],
      ['petugas', 'MESSAGE_TAG', 'HUMAN_AGENT'],
      ['otomatis', 'RESPONSE', undefined],
      ['tanpa keterangan', 'RESPONSE', undefined],
    ]);
  });

  it('replaces a document with a polite Indonesian notice and returns a warning', async () => {
    const result = await channel.send(siti, { text: 'Surat Anda sudah jadi.', documents: [pdf] });
    expect(fake.instagramMessages.map((m) => m.text)).toEqual([
      'Surat Anda sudah jadi.',
      documentsNotCarriedNotice([pdf.name]),
    ]);
    expect(result.externalId).toBe(fake.instagramMessages[1]?.id);
    expect(result.warning).toMatch(
      /Instagram messages cannot carry documents: the file "surat-domisili\.pdf" was not sent/,
    );
  });

  it('sends the notice alone for documents without text', async () => {
    const second = { ...pdf, name: 'kk.pdf' };
    const result = await channel.send(siti, { text: '', documents: [pdf, second] });
    expect(fake.instagramMessages).toHaveLength(1);
    expect(fake.instagramMessages[0]?.text).toBe(documentsNotCarriedNotice(['surat-domisili.pdf', 'kk.pdf']));
    expect(result.warning).toMatch(/"surat-domisili\.pdf", "kk\.pdf" were not sent/);
  });

  it('maps the closed messaging window (10/2018278) to REPLY_WINDOW_CLOSED', async () => {
    fake.failNext('instagram-send', graphFailures.instagramWindowClosed());
    const error = await sendError({ text: 'x' });
    expect(error).toMatchObject({
      retryable: false,
      code: 'REPLY_WINDOW_CLOSED',
      channel: 'instagram-graph',
    });
    expect(error.message).toMatch(/Instagram.*24 hours.*Meta error 10\/2018278/);
  });

  it('maps an unknown user, a rate limit and a server error', async () => {
    fake.failNext('instagram-send', graphFailures.instagramUserNotFound());
    expect(await sendError({ text: 'x' })).toMatchObject({ retryable: false, code: 'BAD_RECIPIENT' });
    fake.failNext('instagram-send', {
      code: 80007,
      message: 'Application request limit reached',
      retryAfter: 30,
    });
    expect(await sendError({ text: 'x' })).toMatchObject({
      retryable: true,
      code: 'RATE_LIMITED',
      retryAfter: 30,
    });
    fake.failNext('instagram-send', graphFailures.serverError());
    expect(await sendError({ text: 'x' })).toMatchObject({ retryable: true, code: 'SERVER_ERROR' });
  });

  it('maps an expired token to AUTH and reports needs_login', async () => {
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    fake.failNext('instagram-send', graphFailures.tokenExpired());
    expect(await sendError({ text: 'x' })).toMatchObject({ code: 'AUTH', retryable: false });
    expect(states(recorder)).toEqual(['starting', 'connected', 'needs_login']);
  });
});

describe('Instagram status on start', () => {
  it('reports the account as connected by @username', async () => {
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(recorder.statuses).toEqual([
      { state: 'starting' },
      { state: 'connected', detail: '@kelurahan.beji' },
    ]);
    expect(fake.requestsTo('/v21.0/me')[0]?.query).toEqual({ fields: 'user_id,username' });
  });

  it('reports needs_login for a refused token', async () => {
    channel = instagramChannel(fake, { accessToken: 'IGAA-wrong' });
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'needs_login']);
  });

  it('reports error when the token belongs to another account', async () => {
    channel = instagramChannel(fake, { accountId: '17841400000000001' });
    const recorder = recordingContext();
    await channel.start(recorder.ctx);
    expect(states(recorder)).toEqual(['starting', 'error']);
    expect(recorder.statuses[1]?.detail).toMatch(/belongs to Instagram account @kelurahan\.beji/);
  });

  it('refuses a non-numeric account id', () => {
    expect(() => instagramChannel(fake, { accountId: 'kelurahan.beji' })).toThrow(
      /accountId must be a numeric id/,
    );
  });
});
