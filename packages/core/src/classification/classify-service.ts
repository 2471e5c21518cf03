// A first keyword table. Issue 4 grows it into the full catalogue with misspellings and tests of
// real-style messages; the shape (ordered rules, first match wins, LAINNYA otherwise) stays.
type Rule = { code: string; patterns: RegExp[] };

const RULES: Rule[] = [
  { code: 'PEREKAMAN_KTP_EL', patterns: [/\brekam\w*\b.*\b(e[\s-]?ktp|ktp[\s-]?el|ktp)\b/, /\bperekaman\b/] },
  { code: 'KTP_EL', patterns: [/\b(e[\s-]?ktp|ktp[\s-]?el|ktp)\b/] },
  { code: 'KIA', patterns: [/\bkia\b/, /\bkartu identitas anak\b/] },
  { code: 'AKTA_KELAHIRAN', patterns: [/\bakt[ae]\b.*\b(lahir|kelahiran)\b/, /\bakt[ae] kelahiran\b/] },
  { code: 'AKTA_KEMATIAN', patterns: [/\bakt[ae]\b.*\b(mati|kematian|meninggal)\b/] },
  { code: 'KK', patterns: [/\bkk\b/, /\bkartu keluarga\b/] },
  {
    code: 'PINDAH_DATANG',
    patterns: [/\bsurat pindah\b/, /\bpindah (domisili|datang|alamat)\b/, /\bskpwni\b/],
  },
  { code: 'LEGALISIR', patterns: [/\blegalisir\b/, /\blegalisasi\b/] },
];

export function classifyService(text: string): string {
  const normalized = text.toLowerCase().replace(/\s+/g, ' ');
  for (const rule of RULES) {
    if (rule.patterns.some((pattern) => pattern.test(normalized))) return rule.code;
  }
  return 'LAINNYA';
}
