// Which service a citizen's first message is about, from Indonesian as citizens write it. An ordered
// table: the first rule that matches wins, LAINNYA otherwise. The order carries the judgement calls,
// so each rule says why it sits where it does. Text is normalised first (normalize-text.ts), so the
// rules see "akta kelahiran" whether the citizen typed "Akte klahiran" or "AKTA-KELAHIRAN".
import { DEFAULT_SERVICES, type EffectiveService } from '../services/effective-services.ts';
import type { ServiceCode } from '../services/service-catalogue.ts';
import { containsPhrase, normalizeCitizenText } from './normalize-text.ts';

/** A pattern, or several that must all match (in any order). */
type Condition = RegExp | readonly RegExp[];

type Rule = { code: ServiceCode; when: readonly Condition[] };

const CORRECTION_WORD = /\b(salah|keliru|typo|tidak sesuai|tidak sama|beda|berbeda)\b/;
const DATA_FIELD =
  '(nama|tanggal lahir|tempat lahir|alamat|agama|jenis kelamin|golongan darah|gelar|pendidikan|pekerjaan|status|data|biodata|ketik|huruf|penulisan|nik)';
const CORRECTION_VERB =
  '(perubahan|ubah|merubah|mengubah|rubah|ganti|mengganti|update|pembaruan|perbaikan|perbaiki|memperbaiki|pembetulan|membetulkan|betulkan|revisi|koreksi|ralat)';

const RULES: readonly Rule[] = [
  // A legalised copy of a KK or an akta is about the copy, not the document: before everything.
  { code: 'LEGALISIR', when: [/\b\w*legali[sz]\w*\b/, /\bcap basah\b/] },
  // A wrong name on the KK is a data change, not a new KK: before the document rules.
  {
    code: 'PERUBAHAN_DATA',
    when: [
      new RegExp(`\\b${CORRECTION_VERB} (data|biodata|elemen data)\\b`),
      new RegExp(
        `\\b${CORRECTION_VERB} (nama|agama|status|pekerjaan|pendidikan|gelar|jenis kelamin|golongan darah|tanggal lahir|tempat lahir)\\b`,
      ),
      // "salah nama", "tanggal lahir di kk salah": the correction word within three words of a field
      new RegExp(`${CORRECTION_WORD.source}( \\w+){0,3} ${DATA_FIELD}\\b`),
      new RegExp(`\\b${DATA_FIELD}( \\w+){0,3} ${CORRECTION_WORD.source}`),
      /\b(tambah|menambah|pencantuman|cantumkan|mencantumkan) gelar\b/,
    ],
  },
  // "Sudah rekam, KTP belum jadi": recorded already, so the citizen is waiting for the card. At most
  // one word between, so "sudah 17 tahun, rekam KTP di mana" stays a recording request.
  { code: 'KTP_EL', when: [/\b(sudah|pernah) ([a-z]+ )?(rekam|perekaman|direkam|merekam)\b/] },
  // Recording before moving: the offline answer matters more than the move.
  {
    code: 'PEREKAMAN_KTP_EL',
    when: [
      /\b(perekaman|rekam|merekam|direkam|rekam ulang)\b/,
      [/\bktp\b/, /\b(pemula|pertama kali|umur 17|usia 17|17 tahun)\b/],
    ],
  },
  {
    code: 'PINDAH_DATANG',
    when: [
      /\b(pindah|pindahan|kepindahan|perpindahan|skpwni|kedatangan)\b/,
      /\b(ubah|mengubah|perubahan|ganti|mengganti) alamat\b/,
      /\bmutasi (penduduk|domisili|kk)\b/,
    ],
  },
  {
    code: 'AKTA_KEMATIAN',
    when: [/\b(akta|surat|surat keterangan|pelaporan|lapor) (kematian|mati|meninggal)\b/],
  },
  // Akta kinds outside the catalogue: without this they would fall to the bare "akta" rule below.
  {
    code: 'LAINNYA',
    when: [/\bakta (perkawinan|nikah|perceraian|cerai|pengakuan|pengesahan|pengangkatan|ganti nama)\b/],
  },
  {
    code: 'AKTA_KELAHIRAN',
    when: [/\bakta (\w+ ){0,3}(kelahiran|lahir|anak|bayi)\b/, /\bsurat (keterangan )?(lahir|kelahiran)\b/],
  },
  // Before KTP: people call the KIA "KTP anak" (but "KTP anak saya" is an adult child's card).
  { code: 'KIA', when: [/\bkia\b/, /\bktp anak\b(?! (saya|aku|kami|ku))/, /\bkartu anak\b/] },
  { code: 'KTP_EL', when: [/\bktp\b/, /\bblangko\b/] },
  { code: 'KK', when: [/\bkk\b/] },
  // Loose cues, after every document name: "bapak saya meninggal, mau urus KK" is about the KK.
  { code: 'AKTA_KEMATIAN', when: [/\b(meninggal|wafat|almarhum|almarhumah|kematian)\b/] },
  { code: 'AKTA_KELAHIRAN', when: [/\bakta\b/, /\b(kelahiran|baru lahir|melahirkan|lahiran)\b/] },
];

function matches(condition: Condition, text: string): boolean {
  if (condition instanceof RegExp) return condition.test(text);
  return condition.every((pattern) => pattern.test(text));
}

type ClassifierServices = readonly Pick<EffectiveService, 'code' | 'keywords' | 'extraKeywords'>[];

/**
 * The service code for a citizen's message. With `services` (from `effectiveServices(policy)`), the
 * office's extra keywords are checked first, so an admin can teach a local word or correct the
 * table; then the built-in rules; then the catalogue's plain keywords; LAINNYA otherwise.
 */
export function classifyService(text: string, services: ClassifierServices = DEFAULT_SERVICES): ServiceCode {
  const normalized = normalizeCitizenText(text);
  if (normalized === '') return 'LAINNYA';
  for (const service of services) {
    if (service.extraKeywords.some((keyword) => containsPhrase(normalized, keyword))) return service.code;
  }
  for (const rule of RULES) {
    if (rule.when.some((condition) => matches(condition, normalized))) return rule.code;
  }
  for (const service of services) {
    if (service.keywords.some((keyword) => containsPhrase(normalized, keyword))) return service.code;
  }
  return 'LAINNYA';
}

// "3", "3.", "3)", "no 3", "nomor 3", "pilih 3", and the keycap emoji "3️⃣" some keyboards suggest.
const MENU_NUMBER = /^(?:no\.?|nomor|nmr|pilih|angka)?\s*(\d{1,2})\s*[.)]?$/;
const KEYCAP = /^(\d)\uFE0F?\u20E3$/;

/**
 * The service a bare number picks from the numbered menu, or null when the message is anything
 * else (a number outside the menu, a NIK, a sentence). Only meaningful right after the menu was sent.
 */
export function classifyMenuChoice(
  text: string,
  services: readonly Pick<EffectiveService, 'code' | 'menuOrder'>[] = DEFAULT_SERVICES,
): ServiceCode | null {
  const trimmed = text.trim().toLowerCase();
  const digits = KEYCAP.exec(trimmed)?.[1] ?? (trimmed === '🔟' ? '10' : MENU_NUMBER.exec(trimmed)?.[1]);
  if (digits === undefined) return null;
  const choice = Number(digits);
  return services.find((service) => service.menuOrder === choice)?.code ?? null;
}
