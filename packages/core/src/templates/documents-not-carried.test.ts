import { describe, expect, it } from 'vitest';
import { documentsNotCarriedNotice, documentsNotCarriedWarning } from './documents-not-carried.ts';

describe('documents a channel cannot carry', () => {
  it('tells the citizen in Indonesian and the officer in English which files stayed behind', () => {
    expect(documentsNotCarriedNotice(['surat-pengantar.pdf'])).toBe(
      'Mohon maaf, dokumen "surat-pengantar.pdf" tidak dapat dikirim lewat pesan Instagram. Silakan ambil di kantor, atau hubungi kami lewat WhatsApp atau Telegram agar dokumen dikirim ke sana.',
    );
    expect(documentsNotCarriedWarning(['surat-pengantar.pdf'])).toMatch(
      /^Instagram messages cannot carry documents: the file "surat-pengantar.pdf" was not sent/,
    );
    expect(documentsNotCarriedWarning(['surat-pengantar.pdf', 'kk.docx'])).toMatch(
      /the files "surat-pengantar.pdf", "kk.docx" were not sent/,
    );
  });
});
