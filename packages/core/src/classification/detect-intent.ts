// What a citizen's message asks Loket itself to do, apart from the service it is about:
// - 'complaint': the ADUAN / PENGADUAN / KOMPLAIN keyword (any case, with or without a ticket number);
// - 'requirements': a question about the persyaratan, answered at once at any hour;
// - 'greeting_or_menu': nothing but a greeting, "menu" or "info", answered with the service menu;
// - 'other': everything else, for an officer.
// The order is that list's: "halo min, syarat KK apa saja?" asks for requirements, and
// "syarat pengaduan" is still the complaint keyword.
import { normalizeCitizenText } from './normalize-text.ts';

export type CitizenIntent = 'complaint' | 'requirements' | 'greeting_or_menu' | 'other';

const COMPLAINT = /\b(aduan|pengaduan|mengadu|mengadukan|adukan|komplain|komplen|complain|complaint)\b/;

const REQUIREMENTS = [
  /\b(syarat|syaratnya|persyaratan|persyaratannya|syrat|syratnya|syart|sarat|saratnya|persaratan|prasyarat)\b/,
  /\b(berkas|dokumen|apa saja|apa) (\w+ ){0,3}(dibawa|disiapkan|dilampirkan|diperlukan|dibutuhkan)\b/,
  /\bbawa apa( saja)?\b/,
  /\b(berkas|dokumen) apa( saja)?\b/,
] as const;

// Words that make up a message that only says hello or asks for the menu: greetings, forms of
// address ("min", "kak", "gan"), and "mau tanya". Compared with doubled letters squeezed, so
// "haloo" and "assalamualaikum" match as typed.
const GREETING_WORDS = new Set(
  [
    'halo',
    'hai',
    'p',
    'ping',
    'tes',
    'test',
    'menu',
    'info',
    'start',
    'mulai',
    'layanan',
    'assalamualaikum',
    'wr',
    'wb',
    'warahmatullahi',
    'wabarakatuh',
    'salam',
    'sejahtera',
    'shalom',
    'om',
    'swastiastu',
    'selamat',
    'pagi',
    'siang',
    'sore',
    'malam',
    'permisi',
    'punten',
    'min',
    'mimin',
    'admin',
    'kak',
    'kakak',
    'gan',
    'agan',
    'sis',
    'pak',
    'bapak',
    'bu',
    'ibu',
    'mas',
    'mbak',
    'mba',
    'bang',
    'disdukcapil',
    'dukcapil',
    'capil',
    'mau',
    'ingin',
    'tanya',
    'bertanya',
    'numpang',
    'izin',
    'ijin',
    'boleh',
    'minta',
    'dan',
  ].map(squeeze),
);

/** Longer than this, a message says more than hello even if every word is a greeting word. */
const MAX_GREETING_WORDS = 8;

function squeeze(word: string): string {
  return word.replace(/([a-z])\1+/g, '$1');
}

export function detectIntent(text: string): CitizenIntent {
  const normalized = normalizeCitizenText(text);
  if (COMPLAINT.test(normalized)) return 'complaint';
  if (REQUIREMENTS.some((pattern) => pattern.test(normalized))) return 'requirements';
  const words = normalized.split(' ').filter((word) => word !== '');
  const onlyGreeting =
    words.length > 0 &&
    words.length <= MAX_GREETING_WORDS &&
    words.every((word) => GREETING_WORDS.has(squeeze(word)));
  return onlyGreeting ? 'greeting_or_menu' : 'other';
}

/**
 * A ticket number in the message, in its canonical form ("DPK-2026-000123"), or null. Hyphens are
 * required ("dpk-2026-123" works) unless `prefix` is given: then "DPK 2026 123" and "dpk2026000123"
 * are recognised too, because they cannot be mistaken for a year and a count.
 */
export function extractTicketNumber(text: string, prefix?: string): string | null {
  const hyphenated = /\b([a-z]{2,6})-(20\d{2})-(\d{1,6})\b/i.exec(text);
  if (hyphenated) return canonical(hyphenated[1]!, hyphenated[2]!, hyphenated[3]!);
  if (!prefix) return null;
  const loose = new RegExp(`\\b(${escapeRegExp(prefix)})[\\s./-]*(20\\d{2})[\\s./-]*(\\d{1,6})\\b`, 'i').exec(
    text,
  );
  return loose ? canonical(loose[1]!, loose[2]!, loose[3]!) : null;
}

function canonical(prefix: string, year: string, sequence: string): string {
  return `${prefix.toUpperCase()}-${year}-${sequence.padStart(6, '0')}`;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
