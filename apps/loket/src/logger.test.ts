import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

describe('the redacting logger', () => {
  it('never writes a NIK or KK number in clear, wherever it hides', () => {
    const { lines, logger } = capture();
    logger.info({ text: 'NIK saya 3276010101010001' }, 'inbound');
    logger.warn('KK 3276 0101 0101 0002 tidak terbaca');
    logger.error({ err: new Error('bad value 3276010101010003') }, 'failed');
    logger.child({ contact: { note: 'nik:3276010101010004' } }).debug('child');
    const output = lines.join('');
    expect(output).not.toMatch(/3276010101010001|3276 0101 0101 0002|3276010101010003|3276010101010004/);
    expect(output).toContain('3276********0001');
    expect(output).toContain('3276 **** **** 0002');
    expect(output).toContain('3276********0003');
    expect(output).toContain('3276********0004');
  });

  it('redacts bearer tokens and writes one JSON object per line', () => {
    const { lines, logger } = capture();
    logger.info({ headers: { authorization: 'Bearer lkt_secret' }, token: 'lkt_secret' }, 'request');
    const entry = JSON.parse(lines[0] ?? '{}');
    expect(entry).toMatchObject({
      msg: 'request',
      headers: { authorization: '[redacted]' },
      token: '[redacted]',
    });
    expect(lines[0]).not.toContain('lkt_secret');
  });
});
