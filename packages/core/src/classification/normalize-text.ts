// Brings a citizen's chat message to one spelling before the keyword rules look at it, so the rules
// can be written once ("akta kelahiran") instead of once per way people type it ("Akte klahiran",
// "AKTA LAHIRRR", "akte2 kelahiran"). The result is lower-case words separated by single spaces.

// Chat abbreviations and common misspellings, one word to its standard form.
const WORD_VARIANTS: Readonly<Record<string, string>> = {
  // WhatsApp shorthand
  sy: 'saya',
  sya: 'saya',
  aq: 'aku',
  sdh: 'sudah',
  udh: 'sudah',
  udah: 'sudah',
  dah: 'sudah',
  blm: 'belum',
  belom: 'belum',
  blum: 'belum',
  yg: 'yang',
  dgn: 'dengan',
  dg: 'dengan',
  dng: 'dengan',
  utk: 'untuk',
  untk: 'untuk',
  gmn: 'bagaimana',
  gmna: 'bagaimana',
  gimana: 'bagaimana',
  gmana: 'bagaimana',
  bgmn: 'bagaimana',
  bgmna: 'bagaimana',
  bgmana: 'bagaimana',
  tdk: 'tidak',
  gak: 'tidak',
  ga: 'tidak',
  gk: 'tidak',
  nggak: 'tidak',
  ngga: 'tidak',
  enggak: 'tidak',
  aja: 'saja',
  aj: 'saja',
  tgl: 'tanggal',
  tggl: 'tanggal',
  lhr: 'lahir',
  krn: 'karena',
  karna: 'karena',
  dr: 'dari',
  dri: 'dari',
  bs: 'bisa',
  bsa: 'bisa',
  pgn: 'ingin',
  pengen: 'ingin',
  pingin: 'ingin',
  ank: 'anak',
  nmr: 'nomor',
  nomer: 'nomor',
  no: 'nomor',
  tlg: 'tolong',
  mhn: 'mohon',
  jg: 'juga',
  brp: 'berapa',
  skrg: 'sekarang',
  msh: 'masih',
  klo: 'kalau',
  kalo: 'kalau',
  thn: 'tahun',
  th: 'tahun',
  ktr: 'kantor',
  dtg: 'datang',
  pndh: 'pindah',
  pindh: 'pindah',
  srt: 'surat',
  tp: 'tapi',
  ket: 'keterangan',
  ortu: 'orang tua',
  // greetings and thanks
  hallo: 'halo',
  helo: 'halo',
  hello: 'halo',
  hallow: 'halo',
  hay: 'hai',
  hi: 'hai',
  hei: 'hai',
  hey: 'hai',
  informasi: 'info',
  makasih: 'terima kasih',
  makasi: 'terima kasih',
  mksh: 'terima kasih',
  mksih: 'terima kasih',
  trimakasih: 'terima kasih',
  terimakasih: 'terima kasih',
  trims: 'terima kasih',
  thanks: 'terima kasih',
  thx: 'terima kasih',
  tq: 'terima kasih',
  assalamualaikum: 'assalamualaikum',
  asalamualaikum: 'assalamualaikum',
  assalamuallaikum: 'assalamualaikum',
  asslamualaikum: 'assalamualaikum',
  aslm: 'assalamualaikum',
  askum: 'assalamualaikum',
  ass: 'assalamualaikum',
  // documents
  akte: 'akta',
  akt: 'akta',
  klahiran: 'kelahiran',
  kelairan: 'kelahiran',
  kelahran: 'kelahiran',
  kelahirn: 'kelahiran',
  kalahiran: 'kelahiran',
  kelahiranya: 'kelahiran',
  kmatian: 'kematian',
  kematin: 'kematian',
  kemtian: 'kematian',
  prekaman: 'perekaman',
  perkaman: 'perekaman',
  perekam: 'perekaman',
  ektp: 'ktp',
  ktpel: 'ktp',
  skpwn: 'skpwni',
  legalisr: 'legalisir',
  lagalisir: 'legalisir',
  legalisasi: 'legalisir',
};

// Several words to one, applied after the single words above; longest spellings first.
const PHRASE_VARIANTS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\bkartu tanda penduduk( elektronik)?\b/g, 'ktp'],
  [/\be ktp el\b|\be ktp\b|\bktp el\b|\bktp elektronik\b/g, 'ktp'],
  [/\bkartu (keluarga|kluarga|klg)\b/g, 'kk'],
  [/\bkartu identitas anak\b/g, 'kia'],
  [/\bterima kasih\b|\btrima kasih\b|\bterima kasi\b/g, 'terima kasih'],
  [/\bsk pwni\b|\bskp wni\b/g, 'skpwni'],
  [/\bapa saja\b|\bapa sj\b/g, 'apa saja'],
  // "kk" is also chat for "kakak" (an older sibling, a polite "you"): after a greeting or thanks, or
  // opening the message before a request, it addresses the officer and is not a family card.
  [
    /\b(halo|hai|pagi|siang|sore|malam|permisi|terima kasih|maaf|assalamualaikum|selamat \w+) kk\b/g,
    '$1 kakak',
  ],
  [/^kk (mau|boleh|bisa|izin|ijin|numpang|tolong|mohon|apakah|bagaimana|saya mau)\b/, 'kakak $1'],
];

// Document words written with "-nya" ("ktpnya", "aktenya") or doubled ("akta2").
const ATTACHED_SUFFIX = /^(ktp|kk|kia|akta|akte|skpwni)(nya|2)$/;

export function normalizeCitizenText(text: string): string {
  let normalized = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // assalamu'alaikum, jum'at: an apostrophe joins a word rather than splitting it
    .replace(/['’‘`ʼ]/g, '')
    // "kk, mau tanya": a comma after an opening "kk" marks it as a form of address
    .replace(/^\s*kk\s*[,!]/, 'kakak ')
    // punctuation, emoji, hyphens and line breaks become word breaks: "e-ktp" → "e ktp"
    .replace(/[^a-z0-9]+/g, ' ')
    // "haloooo", "minnn", "pagiii": three or more of a letter are one (two stay: "kk", "maaf")
    .replace(/([a-z])\1{2,}/g, '$1')
    // "17thn", "akta2"
    .replace(/(\d)([a-z])/g, '$1 $2');

  normalized = normalized
    .split(' ')
    .filter((word) => word !== '')
    .map((word) => {
      const base = ATTACHED_SUFFIX.exec(word)?.[1] ?? word;
      return WORD_VARIANTS[base] ?? base;
    })
    .join(' ');

  for (const [pattern, replacement] of PHRASE_VARIANTS) {
    normalized = normalized.replace(pattern, replacement);
  }
  return normalized;
}

// Keywords are few and asked about for every message: each is normalised once.
const MAX_NORMALIZED_PHRASES = 5_000;
const normalizedPhrases = new Map<string, string>();

function normalizedPhrase(phrase: string): string {
  let needle = normalizedPhrases.get(phrase);
  if (needle === undefined) {
    needle = normalizeCitizenText(phrase);
    if (normalizedPhrases.size >= MAX_NORMALIZED_PHRASES) normalizedPhrases.clear();
    normalizedPhrases.set(phrase, needle);
  }
  return needle;
}

/** Whether `phrase` (normalised the same way) occurs in `normalizedText` as whole words. */
export function containsPhrase(normalizedText: string, phrase: string): boolean {
  const needle = normalizedPhrase(phrase);
  if (needle === '') return false;
  return ` ${normalizedText} `.includes(` ${needle} `);
}
