import { describe, expect, it } from 'vitest';
import { attachmentHeaders, contentDisposition, safeFileName } from './attachment-headers.ts';

const headersFor = (mime: string, name: string | null = 'file') =>
  attachmentHeaders({ id: 'a1', mime, name });

describe('attachment headers', () => {
  it.each([
    ['image/jpeg', 'image/jpeg'],
    ['image/png', 'image/png'],
    ['application/pdf', 'application/pdf'],
    ['audio/ogg', 'audio/ogg'],
    ['IMAGE/JPEG; charset=binary', 'image/jpeg'],
  ])('shows %s inline as %s', (mime, type) => {
    const headers = headersFor(mime);
    expect(headers['Content-Type']).toBe(type);
    expect(headers['Content-Disposition']).toMatch(/^inline; /);
  });

  it.each([
    'text/html',
    'TEXT/HTML; charset=utf-8',
    'image/svg+xml',
    'application/xhtml+xml',
    'application/xml',
    'text/xml',
    'application/javascript',
    'text/javascript',
    'application/x-javascript',
    'text/css',
    'multipart/related',
    'message/rfc822',
    'application/x-shockwave-flash',
    'not a mime',
    '',
  ])('never lets %s run: octet-stream, as a download', (mime) => {
    const headers = headersFor(mime);
    expect(headers['Content-Type']).toBe('application/octet-stream');
    expect(headers['Content-Disposition']).toMatch(/^attachment; /);
  });

  it.each([
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    ['application/msword'],
    ['text/plain'],
    ['application/zip'],
  ])('keeps the passive type %s but as a download', (mime) => {
    const headers = headersFor(mime);
    expect(headers['Content-Type']).toBe(mime);
    expect(headers['Content-Disposition']).toMatch(/^attachment; /);
  });

  it('always forbids sniffing and caching', () => {
    expect(headersFor('image/png')).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    });
  });

  it('gives an unnamed file a name from its id and type', () => {
    expect(attachmentHeaders({ id: 'abc-123', mime: 'image/jpeg', name: null })['Content-Disposition']).toBe(
      `inline; filename="lampiran-abc-123.jpg"; filename*=UTF-8''lampiran-abc-123.jpg`,
    );
  });
});

describe('file names in Content-Disposition', () => {
  it('strips paths, control characters, quotes and leading dots', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\budi\\KTP.jpg')).toBe('KTP.jpg');
    expect(safeFileName('a\r\nSet-Cookie: x.pdf')).toBe('aSet-Cookie: x.pdf');
    expect(safeFileName('"quoted".pdf')).toBe('quoted.pdf');
    expect(safeFileName('.htaccess')).toBe('htaccess');
    expect(safeFileName('   ')).toBeNull();
    expect(safeFileName(null)).toBeNull();
  });

  it('gives an ASCII fallback and the UTF-8 name (RFC 6266 / 8187)', () => {
    expect(contentDisposition('attachment', 'Surat pindah (Budi) ñ 100%.pdf')).toBe(
      `attachment; filename="Surat pindah (Budi) _ 100_.pdf"; ` +
        `filename*=UTF-8''Surat%20pindah%20%28Budi%29%20%C3%B1%20100%25.pdf`,
    );
    expect(contentDisposition('inline', 'a;b\\c.png')).toBe(
      `inline; filename="a_b_c.png"; filename*=UTF-8''a%3Bb%5Cc.png`,
    );
  });
});
