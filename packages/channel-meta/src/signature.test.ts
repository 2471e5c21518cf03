import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerSubscription, secretsMatch, verifyMetaSignature } from './signature.ts';

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const body = new TextEncoder().encode('{"object":"instagram","entry":[]}');
const sign = (bytes: Uint8Array, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

describe('verifyMetaSignature', () => {
  it('accepts the HMAC-SHA256 of the raw bytes, in either hex case', () => {
    expect(verifyMetaSignature(body, sign(body), SECRET)).toBe(true);
    expect(verifyMetaSignature(body, sign(body).toUpperCase().replace('SHA256=', 'sha256='), SECRET)).toBe(
      true,
    );
  });

  it('refuses another secret, another body and the same JSON with other whitespace', () => {
    expect(verifyMetaSignature(body, sign(body, 'other-secret'), SECRET)).toBe(false);
    const spaced = new TextEncoder().encode('{"object": "instagram", "entry": []}');
    expect(JSON.parse(new TextDecoder().decode(spaced))).toEqual(JSON.parse(new TextDecoder().decode(body)));
    expect(verifyMetaSignature(spaced, sign(body), SECRET)).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['sha1 prefix', `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`],
    ['no prefix', createHmac('sha256', SECRET).update(body).digest('hex')],
    ['too short', sign(body).slice(0, -2)],
    ['not hex', `sha256=${'z'.repeat(64)}`],
    ['base64 digest', `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`],
  ])('refuses a %s header', (_label, header) => {
    expect(verifyMetaSignature(body, header, SECRET)).toBe(false);
  });

  it('refuses everything when no app secret is configured', () => {
    expect(verifyMetaSignature(body, sign(body, ''), '')).toBe(false);
  });
});

describe('answerSubscription', () => {
  const token = 'loket-verify-7f3a';

  it('echoes the challenge for subscribe with the right token', () => {
    expect(
      answerSubscription({ mode: 'subscribe', verifyToken: token, challenge: '1158201444' }, token),
    ).toEqual({
      status: 200,
      body: '1158201444',
    });
  });

  it.each([
    ['a wrong token', { mode: 'subscribe', verifyToken: 'guess', challenge: '1' }],
    ['a token that only starts right', { mode: 'subscribe', verifyToken: `${token}x`, challenge: '1' }],
    ['no token', { mode: 'subscribe', challenge: '1' }],
    ['another mode', { mode: 'unsubscribe', verifyToken: token, challenge: '1' }],
    ['no mode', { verifyToken: token, challenge: '1' }],
    ['no challenge', { mode: 'subscribe', verifyToken: token }],
  ])('answers 403 to %s', (_label, query) => {
    expect(answerSubscription(query, token)).toEqual({ status: 403 });
  });
});

describe('secretsMatch', () => {
  it('compares whole values of any length', () => {
    expect(secretsMatch('abc', 'abc')).toBe(true);
    expect(secretsMatch('abc', 'abcd')).toBe(false);
    expect(secretsMatch(undefined, 'abc')).toBe(false);
    expect(secretsMatch('', '')).toBe(false);
  });
});
