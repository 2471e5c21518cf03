import { describe, expect, it } from 'vitest';
import { detectIntent, extractTicketNumber } from './detect-intent.ts';

describe('detectIntent', () => {
  it.each([
    'halo',
    'Haloooo',
    'hai min',
    'menu',
    'MENU',
    'info',
    'info layanan',
    'P',
    'p',
    'assalamualaikum',
    "Assalamu'alaikum wr wb",
    'selamat pagi',
    'Selamat siang kak',
    'pagi min 🙏',
    'halo kk',
    'permisi, mau tanya',
    '/start',
    'tes',
  ])('%j → greeting_or_menu', (text) => {
    expect(detectIntent(text)).toBe('greeting_or_menu');
  });

  it.each([
    'syarat akta lahir apa saja?',
    'persyaratan kk',
    'apa aja syaratnya',
    'SYARAT',
    'min syrat bikin kia apa ya',
    'halo kak, mau tanya persyaratan pindah domisili',
    'berkas apa saja yang harus dibawa untuk akta kematian',
    'dokumen apa yg perlu disiapkan buat ktp hilang',
    'bawa apa aja kalau mau rekam ktp',
  ])('%j → requirements', (text) => {
    expect(detectIntent(text)).toBe('requirements');
  });

  it.each([
    'ADUAN',
    'aduan',
    'Pengaduan',
    'KOMPLAIN',
    'komplain DPK-2026-000123',
    'ADUAN DPK-2026-000123',
    'sudah 4 hari belum dibalas, saya mau komplen',
    'pengaduan: tiket dpk-2026-42 belum dijawab',
    'syarat pengaduan apa saja',
  ])('%j → complaint', (text) => {
    expect(detectIntent(text)).toBe('complaint');
  });

  it.each([
    'terima kasih',
    'makasih min',
    'kapan buka?',
    'nomor antrian saya berapa',
    'mau buat akta kelahiran',
    'halo min, ktp saya hilang',
    'ok',
    '',
    'halo halo halo halo halo halo halo halo halo',
  ])('%j → other', (text) => {
    expect(detectIntent(text)).toBe('other');
  });
});

describe('extractTicketNumber', () => {
  it.each([
    ['ADUAN DPK-2026-000123', undefined, 'DPK-2026-000123'],
    ['komplain dpk-2026-123 belum dibalas', undefined, 'DPK-2026-000123'],
    ['ADUAN-DPK-2026-000001', undefined, 'DPK-2026-000001'],
    ['aduan DPK 2026 000123', 'DPK', 'DPK-2026-000123'],
    ['aduan dpk2026000123', 'DPK', 'DPK-2026-000123'],
    ['aduan DPK 2026 000123', undefined, null],
    ['aduan', 'DPK', null],
    ['aduan tahun 2026 100 kali', undefined, null],
    ['NIK 3276012345670001', 'DPK', null],
  ])('%j (prefix %s) → %s', (text, prefix, expected) => {
    expect(extractTicketNumber(text, prefix)).toBe(expected);
  });
});
