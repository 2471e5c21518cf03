import { describe, expect, it } from 'vitest';
import { isSendablePhoto, MAX_TEXT_LENGTH, splitText } from './send.ts';

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
});
