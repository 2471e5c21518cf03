import { describe, expect, it } from 'vitest';
import { documentNotice, documentWarning, isSendablePhoto, MAX_TEXT_LENGTH, splitText } from './send.ts';

describe('splitText', () => {
  it('keeps a short text whole and drops a blank one', () => {
    expect(splitText('Berkas Anda sudah jadi.')).toEqual(['Berkas Anda sudah jadi.']);
    expect(splitText('  \n ')).toEqual([]);
  });

  it('cuts at word boundaries under the 1000-character limit without losing words', () => {
    const words = Array.from({ length: 400 }, (_, i) => `kata${i}`);
    const text = words.join(' ');
    const pieces = splitText(text);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
      expect(piece).toMatch(/^kata\d+( kata\d+)*$/);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  it('prefers a line break and never splits an emoji', () => {
    const text = `${'a'.repeat(700)}\n${'b '.repeat(300)}`;
    expect(splitText(text)[0]).toBe('a'.repeat(700));
    const emoji = '😀'.repeat(600);
    for (const piece of splitText(emoji)) expect(piece).toMatch(/^(😀)+$/);
  });
});

describe('documents on a DM', () => {
  it('sends JPEG and PNG as photos, nothing else', () => {
    const doc = (mime: string) => ({ name: 'x', mime, data: new Uint8Array() });
    expect(isSendablePhoto(doc('image/jpeg'))).toBe(true);
    expect(isSendablePhoto(doc('image/PNG'))).toBe(true);
    expect(isSendablePhoto(doc('application/pdf'))).toBe(false);
    expect(isSendablePhoto(doc('image/webp'))).toBe(false);
  });

  it('tells the citizen in Indonesian and the officer in English which files stayed behind', () => {
    const docs = [
      { name: 'surat-pengantar.pdf', mime: 'application/pdf', data: new Uint8Array() },
      { name: 'kk.docx', mime: 'application/msword', data: new Uint8Array() },
    ];
    expect(documentNotice(docs.slice(0, 1))).toBe(
      'Dokumen "surat-pengantar.pdf" tidak dapat dikirim lewat DM Instagram. Silakan ambil di kantor atau minta dikirim lewat WhatsApp/Telegram.',
    );
    expect(documentWarning(docs.slice(0, 1))).toMatch(
      /^Instagram DMs cannot carry documents: the file "surat-pengantar.pdf" was not sent/,
    );
    expect(documentWarning(docs)).toMatch(/the files "surat-pengantar.pdf", "kk.docx" were not sent/);
  });
});
