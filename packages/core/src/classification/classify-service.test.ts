import { describe, expect, it } from 'vitest';
import { classifyService } from './classify-service.ts';

describe('classifyService (first table; issue 4 extends it)', () => {
  it.each([
    ['Selamat pagi, saya mau buat akta kelahiran anak saya', 'AKTA_KELAHIRAN'],
    ['mau urus akte lahir', 'AKTA_KELAHIRAN'],
    ['KTP saya hilang, bagaimana cara cetak ulang?', 'KTP_EL'],
    ['jadwal perekaman e-ktp kapan ya', 'PEREKAMAN_KTP_EL'],
    ['mau rekam ktp el untuk anak 17 tahun', 'PEREKAMAN_KTP_EL'],
    ['tambah anggota di kartu keluarga', 'KK'],
    ['pengajuan KIA untuk anak', 'KIA'],
    ['akta kematian bapak saya', 'AKTA_KEMATIAN'],
    ['surat pindah ke bogor', 'PINDAH_DATANG'],
    ['legalisir akta', 'LEGALISIR'],
    ['halo', 'LAINNYA'],
    ['terima kasih pak', 'LAINNYA'],
  ])('%s → %s', (text, code) => {
    expect(classifyService(text)).toBe(code);
  });
});
