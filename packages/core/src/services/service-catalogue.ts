// The services a Disdukcapil office answers online, with the defaults an office starts from. Admins
// change `online`, `resumesOn`, names, requirements and extra keywords per office through the policy
// (`services` in /v1/admin/settings); the codes themselves are fixed, because tickets and reports
// are keyed by them.

export const SERVICE_CODES = [
  'KTP_EL',
  'PEREKAMAN_KTP_EL',
  'KK',
  'AKTA_KELAHIRAN',
  'AKTA_KEMATIAN',
  'KIA',
  'PINDAH_DATANG',
  'LEGALISIR',
  'PERUBAHAN_DATA',
  'LAINNYA',
] as const;

export type ServiceCode = (typeof SERVICE_CODES)[number];

export function isServiceCode(value: string): value is ServiceCode {
  return (SERVICE_CODES as readonly string[]).includes(value);
}

export type CatalogueService = {
  code: ServiceCode;
  /** Indonesian name, as the citizen sees it in the menu. */
  name: string;
  /** Its number in the citizen's menu ("balas 4 untuk Akta Kelahiran"). */
  menuOrder: number;
  /**
   * Plain phrases the classifier recognises for this service (a test proves each one lands here).
   * Typos, slang and word order are handled by the classifier's own rule table.
   */
  keywords: readonly string[];
  online: boolean;
  /** YYYY-MM-DD: when an offline service is expected back; null when unknown or not paused. */
  resumesOn: string | null;
  /** The persyaratan as the office publishes them, one item a line. */
  requirements: readonly string[];
};

// Requirements follow what Disdukcapil offices publish under Permendagri 108/2019 and 109/2019.
// Offices differ in the details, which is why admins can replace each list.
export const SERVICE_CATALOGUE: readonly CatalogueService[] = [
  {
    code: 'KTP_EL',
    name: 'Cetak/Ganti KTP-el',
    menuOrder: 1,
    keywords: ['ktp', 'e-ktp', 'ktp-el', 'ktp hilang', 'ktp rusak', 'cetak ktp'],
    online: true,
    resumesOn: null,
    requirements: [
      'Sudah melakukan perekaman KTP-el',
      'Kartu Keluarga (KK)',
      'KTP-el lama, bila rusak atau ada perubahan data',
      'Surat keterangan kehilangan dari kepolisian, bila KTP-el hilang',
    ],
  },
  {
    code: 'PEREKAMAN_KTP_EL',
    name: 'Perekaman KTP-el',
    menuOrder: 2,
    keywords: ['perekaman', 'rekam ktp', 'perekaman ktp-el'],
    // Recording takes the citizen's photo, fingerprints and iris: it cannot happen over chat.
    online: false,
    resumesOn: null,
    requirements: [
      'Sudah berusia 17 tahun, atau sudah/pernah menikah',
      'Kartu Keluarga (KK)',
      'Datang sendiri ke kantor untuk foto, sidik jari, dan tanda tangan',
    ],
  },
  {
    code: 'KK',
    name: 'Kartu Keluarga (KK)',
    menuOrder: 3,
    keywords: ['kk', 'kartu keluarga'],
    online: true,
    resumesOn: null,
    requirements: [
      'Formulir biodata keluarga (F-1.01) yang sudah diisi',
      'KK lama, untuk perubahan atau penggantian',
      'Buku nikah/akta perkawinan, bagi pasangan yang baru menikah',
      'Surat Keterangan Pindah (SKPWNI), bagi penduduk pindahan',
      'Surat keterangan kehilangan dari kepolisian, bila KK hilang',
    ],
  },
  {
    code: 'AKTA_KELAHIRAN',
    name: 'Akta Kelahiran',
    menuOrder: 4,
    keywords: ['akta kelahiran', 'akta lahir', 'akte kelahiran'],
    online: true,
    resumesOn: null,
    requirements: [
      'Surat keterangan lahir dari rumah sakit, puskesmas, atau bidan',
      'Kartu Keluarga (KK) orang tua',
      'KTP-el kedua orang tua',
      'Buku nikah atau akta perkawinan orang tua',
      'Nama dan NIK 2 orang saksi',
      'Bila tidak ada surat keterangan lahir atau buku nikah: Surat Pernyataan Tanggung Jawab Mutlak (SPTJM)',
    ],
  },
  {
    code: 'AKTA_KEMATIAN',
    name: 'Akta Kematian',
    menuOrder: 5,
    keywords: ['akta kematian', 'surat kematian'],
    online: true,
    resumesOn: null,
    requirements: [
      'Surat keterangan kematian dari rumah sakit, puskesmas, atau kelurahan',
      'Kartu Keluarga (KK) almarhum/almarhumah',
      'KTP-el almarhum/almarhumah',
      'KTP-el pelapor',
      'Nama dan NIK 2 orang saksi',
    ],
  },
  {
    code: 'KIA',
    name: 'Kartu Identitas Anak (KIA)',
    menuOrder: 6,
    keywords: ['kia', 'kartu identitas anak'],
    online: true,
    resumesOn: null,
    requirements: [
      'Kartu Keluarga (KK) orang tua',
      'Akta kelahiran anak',
      'KTP-el kedua orang tua',
      'Pas foto anak berwarna 2x3 sebanyak 2 lembar, untuk anak usia 5 tahun ke atas',
    ],
  },
  {
    code: 'PINDAH_DATANG',
    name: 'Surat Pindah/Datang',
    menuOrder: 7,
    keywords: ['surat pindah', 'pindah domisili', 'skpwni'],
    online: true,
    resumesOn: null,
    requirements: [
      'Pindah keluar: KK dan KTP-el anggota keluarga yang pindah, serta alamat tujuan lengkap',
      'Pindah datang: Surat Keterangan Pindah WNI (SKPWNI) dari daerah asal',
      'KTP-el pemohon',
    ],
  },
  {
    code: 'LEGALISIR',
    name: 'Legalisir Dokumen',
    menuOrder: 8,
    keywords: ['legalisir', 'legalisasi'],
    online: true,
    resumesOn: null,
    requirements: [
      'Dokumen asli yang akan dilegalisir (KK, akta, atau dokumen kependudukan lain)',
      'Fotokopi dokumen tersebut',
      'KTP-el pemohon',
      'Dokumen bertanda tangan elektronik (TTE) tidak perlu dilegalisir',
    ],
  },
  {
    code: 'PERUBAHAN_DATA',
    name: 'Perubahan Data',
    menuOrder: 9,
    keywords: ['perubahan data', 'salah nama'],
    online: true,
    resumesOn: null,
    requirements: [
      'Kartu Keluarga (KK) dan KTP-el',
      'Formulir perubahan elemen data (F-1.06) yang sudah diisi',
      'Dokumen bukti perubahan, misalnya ijazah (pendidikan/gelar), buku nikah (status perkawinan), atau akta kelahiran (nama/tanggal lahir)',
    ],
  },
  {
    code: 'LAINNYA',
    name: 'Layanan Lainnya',
    menuOrder: 10,
    keywords: [],
    online: true,
    resumesOn: null,
    // "Something else": an officer explains what is needed once the question is known.
    requirements: [],
  },
];

export function catalogueService(code: ServiceCode): CatalogueService {
  const service = SERVICE_CATALOGUE.find((entry) => entry.code === code);
  if (!service) throw new Error(`service ${code} is missing from the catalogue`);
  return service;
}
