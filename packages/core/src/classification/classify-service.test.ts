import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICES, effectiveServices } from '../services/effective-services.ts';
import { SERVICE_CATALOGUE } from '../services/service-catalogue.ts';
import { classifyMenuChoice, classifyService } from './classify-service.ts';

// Messages as citizens send them on WhatsApp, Telegram and Instagram: greetings, slang, typos,
// no punctuation or too much of it.
const MESSAGES: ReadonlyArray<readonly [string, string]> = [
  // KTP_EL: print, replace, lost, damaged, waiting for the card
  ['KTP saya hilang, bagaimana cara cetak ulang?', 'KTP_EL'],
  ['min ktp sy rusak patah jd dua, gmn cara gantinya', 'KTP_EL'],
  ['Selamat siang, mau tanya e-ktp saya sudah jadi belum ya?', 'KTP_EL'],
  ['ektp ilang pas mudik kak', 'KTP_EL'],
  ['KTP-EL saya masih pakai alamat lama boleh dicetak ulang?', 'KTP_EL'],
  ['sy sdh rekam ktp bulan lalu tp blm jadi gmn ya', 'KTP_EL'],
  ['udah pernah rekam tahun 2019 tapi ktp nya belum dicetak', 'KTP_EL'],
  ['saya sudah melakukan perekaman, kapan ktp jadi?', 'KTP_EL'],
  ['blangko ktp sudah ada belum min?', 'KTP_EL'],
  [
    'Assalamualaikum wr wb. Mohon maaf mengganggu, saya mau menanyakan ktp el saya yang hilang di angkot',
    'KTP_EL',
  ],
  ['cetak ktp bisa diwakilkan gan?', 'KTP_EL'],
  // PEREKAMAN_KTP_EL: recording, first card at 17
  ['jadwal perekaman e-ktp kapan ya', 'PEREKAMAN_KTP_EL'],
  ['mau rekam ktp el untuk anak 17 tahun', 'PEREKAMAN_KTP_EL'],
  ['kak anak saya baru 17thn mau bikin ktp pertama kali, bisa online?', 'PEREKAMAN_KTP_EL'],
  ['prekaman ktp buka hari sabtu ga?', 'PEREKAMAN_KTP_EL'],
  ['Pagi min, saya belum rekam e ktp, harus datang ke kantor ya?', 'PEREKAMAN_KTP_EL'],
  ['ktp pemula syaratnya apa', 'PEREKAMAN_KTP_EL'],
  ['anak sudah 17 tahun, rekam ktp dimana', 'PEREKAMAN_KTP_EL'],
  ['sudah pindah ke depok, mau rekam ulang ktp', 'PEREKAMAN_KTP_EL'],
  // KK
  ['tambah anggota di kartu keluarga', 'KK'],
  ['kk saya hilang min', 'KK'],
  ['mau pisah kk dari orang tua karena sudah menikah', 'KK'],
  ['Selamat siang kk, saya mau tanya KK baru bisa jadi berapa hari?', 'KK'],
  ['cetak ulang kartu kluarga yg sobek', 'KK'],
  ['numpang KK saudara bisa ga ya', 'KK'],
  ['kknya sudah bisa diambil belum', 'KK'],
  // AKTA_KELAHIRAN
  ['Selamat pagi, saya mau buat akta kelahiran anak saya', 'AKTA_KELAHIRAN'],
  ['mau urus akte lahir', 'AKTA_KELAHIRAN'],
  ['akta klahiran anak ke 2 gimana caranya', 'AKTA_KELAHIRAN'],
  ['anak saya baru lahir kemarin, mau bikin akta', 'AKTA_KELAHIRAN'],
  ['AKTE KELAHIRAN!!! sudah 2 minggu belum jadi', 'AKTA_KELAHIRAN'],
  ['istri saya melahirkan di bidan, urus aktanya dimana', 'AKTA_KELAHIRAN'],
  ['surat keterangan lahir dari RS hilang, masih bisa buat akte?', 'AKTA_KELAHIRAN'],
  ['bgmn cara bikin akta anak yg lahir di luar kota', 'AKTA_KELAHIRAN'],
  // AKTA_KEMATIAN
  ['akta kematian bapak saya', 'AKTA_KEMATIAN'],
  ['ayah saya meninggal minggu lalu, mau urus suratnya', 'AKTA_KEMATIAN'],
  ['cara lapor kematian nenek sy dgn akta kmatian', 'AKTA_KEMATIAN'],
  ['surat kematian ibu mertua yg wafat di RS', 'AKTA_KEMATIAN'],
  ['almarhum suami saya masih ada di data, mohon dibantu', 'AKTA_KEMATIAN'],
  // KIA
  ['pengajuan KIA untuk anak', 'KIA'],
  ['kia anak umur 3 thn perlu foto ga', 'KIA'],
  ['mau bikin KTP anak', 'KIA'],
  ['kartu identitas anak bisa dibuat online?', 'KIA'],
  // PINDAH_DATANG
  ['surat pindah ke bogor', 'PINDAH_DATANG'],
  ['pindah domisili dari jakarta ke depok', 'PINDAH_DATANG'],
  ['mau urus SKPWNI, saya pindahan dari Bekasi', 'PINDAH_DATANG'],
  ['sk pindah keluar kota gmn min', 'PINDAH_DATANG'],
  ['perubahan alamat krn pindah rumah masih di depok', 'PINDAH_DATANG'],
  // LEGALISIR
  ['legalisir akta', 'LEGALISIR'],
  ['pagi kak, bisa bantu legalisir fotokopi kk', 'LEGALISIR'],
  ['Legalisasi akte kelahiran untuk daftar sekolah', 'LEGALISIR'],
  ['kk saya perlu dilegalisir untuk daftar cpns', 'LEGALISIR'],
  // PERUBAHAN_DATA
  ['nama sy di kk salah ketik, gmn cara benerinnya', 'PERUBAHAN_DATA'],
  ['tanggal lahir di ktp beda dengan ijazah', 'PERUBAHAN_DATA'],
  ['mau ganti status kawin di ktp', 'PERUBAHAN_DATA'],
  ['perubahan data pendidikan di KK', 'PERUBAHAN_DATA'],
  ['salah nama ibu kandung di kk', 'PERUBAHAN_DATA'],
  ['tgl lhr saya di kk salah min', 'PERUBAHAN_DATA'],
  ['mau update data pekerjaan, sekarang sudah pensiun', 'PERUBAHAN_DATA'],
  ['pencantuman gelar sarjana di ktp', 'PERUBAHAN_DATA'],
  // LAINNYA: greetings, thanks, questions about the office, other akta kinds
  ['halo', 'LAINNYA'],
  ['terima kasih pak', 'LAINNYA'],
  ['terima kasih', 'LAINNYA'],
  ['kapan buka?', 'LAINNYA'],
  ['nomor antrian saya berapa', 'LAINNYA'],
  ['halo kk, mau tanya', 'LAINNYA'],
  ['makasih kk', 'LAINNYA'],
  ['P', 'LAINNYA'],
  ['Assalamualaikum', 'LAINNYA'],
  ['min alamat kantornya dimana ya', 'LAINNYA'],
  ['apakah hari sabtu buka?', 'LAINNYA'],
  ['akta perkawinan untuk non muslim syaratnya apa', 'LAINNYA'],
  ['ok siap', 'LAINNYA'],
  ['maaf salah kirim', 'LAINNYA'],
  ['👍', 'LAINNYA'],
  ['', 'LAINNYA'],
];

describe('classifyService', () => {
  it('has at least 60 real-style messages', () => {
    expect(MESSAGES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(MESSAGES)('%j → %s', (text, code) => {
    expect(classifyService(text)).toBe(code);
  });

  it.each(SERVICE_CATALOGUE.flatMap((service) => service.keywords.map((keyword) => [keyword, service.code])))(
    'recognises the catalogue keyword %j as %s',
    (keyword, code) => {
      expect(classifyService(keyword)).toBe(code);
      expect(classifyService(`halo min, mau tanya soal ${keyword}`)).toBe(code);
    },
  );

  it("checks the office's extra keywords before its own rules", () => {
    const services = effectiveServices({
      services: [
        { code: 'KTP_EL', keywords: ['IKD', 'ktp digital'] },
        { code: 'PERUBAHAN_DATA', keywords: ['pisah kk'] },
      ],
    });
    expect(classifyService('mau aktivasi ikd', services)).toBe('KTP_EL');
    expect(classifyService('mau aktivasi ikd')).toBe('LAINNYA');
    expect(classifyService('mau pisah KK', services)).toBe('PERUBAHAN_DATA');
    expect(classifyService('mau pisah KK')).toBe('KK');
  });
});

describe('classifyMenuChoice', () => {
  it.each([
    ['1', 'KTP_EL'],
    ['2.', 'PEREKAMAN_KTP_EL'],
    [' 3 ', 'KK'],
    ['4)', 'AKTA_KELAHIRAN'],
    ['no 5', 'AKTA_KEMATIAN'],
    ['Nomor 6', 'KIA'],
    ['pilih 7', 'PINDAH_DATANG'],
    ['8️⃣', 'LEGALISIR'],
    ['9', 'PERUBAHAN_DATA'],
    ['10', 'LAINNYA'],
  ])('%j → %s', (text, code) => {
    expect(classifyMenuChoice(text, DEFAULT_SERVICES)).toBe(code);
  });

  it.each(['0', '11', '99', '3276012345670001', '1 dan 2', 'satu', 'akta 4', ''])(
    '%j is not a menu choice',
    (text) => {
      expect(classifyMenuChoice(text, DEFAULT_SERVICES)).toBeNull();
    },
  );
});
