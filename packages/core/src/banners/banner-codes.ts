import { type BannerSite, DEPOK_KELURAHAN } from './depok-kelurahan.ts';

/**
 * What Telegram allows in a `/start` payload (and so in every banner code): the deep link is the
 * strictest of the three carriers, so a code that fits it fits the wa.me text and the ig.me ref too.
 */
export const BANNER_CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

type CodeIndex = ReadonlyMap<string, BannerSite>;

const indexes = new WeakMap<readonly BannerSite[], CodeIndex>();

function indexOf(sites: readonly BannerSite[]): CodeIndex {
  let index = indexes.get(sites);
  if (!index) {
    index = new Map(sites.map((site) => [site.code.toLowerCase(), site]));
    indexes.set(sites, index);
  }
  return index;
}

/** The banner site with this code (any case, as links are typed by people), or null. */
export function findBannerSite(
  code: string,
  sites: readonly BannerSite[] = DEPOK_KELURAHAN,
): BannerSite | null {
  return indexOf(sites).get(code.trim().toLowerCase()) ?? null;
}

/**
 * The text a banner's wa.me link puts in the citizen's message box. The code sits at the end in
 * brackets, so the citizen can type the question after the greeting and the code still travels.
 */
export function bannerPrefilledText(site: BannerSite, officeName: string): string {
  return `Halo ${officeName}, saya mau bertanya. (Kode: ${site.code})`;
}

// Phones "smarten" typed punctuation: iOS turns `--` into an em dash, some keyboards a hyphen into a
// non-breaking one. Undo that, so a citizen who retyped the code is still counted.
const LONG_DASHES = /[\u2013\u2014\u2015]/g;
const SHORT_DASHES = /[\u2010\u2011\u2012\u2212]/g;
// Characters a code never holds: everything else splits the text into candidate words. WhatsApp's
// *bold*, ~strike~ and brackets fall away here; _italic_ underscores are trimmed below.
const NOT_CODE = /[^a-z0-9_-]+/;

/**
 * The known banner code in a message text, wherever the citizen left it: the prefilled wa.me text,
 * edited around or not, or a code typed by hand. Only codes on the list count, so ordinary words
 * never match (every code holds a `--`), and the first known code wins.
 */
export function detectBannerCode(
  text: string,
  sites: readonly BannerSite[] = DEPOK_KELURAHAN,
): string | null {
  const index = indexOf(sites);
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(LONG_DASHES, '--')
    .replace(SHORT_DASHES, '-');
  for (const word of normalized.split(NOT_CODE)) {
    const candidate = word.replace(/^[-_]+|[-_]+$/g, '');
    const site = candidate ? index.get(candidate) : undefined;
    if (site) return site.code;
  }
  return null;
}

/**
 * The banner that brought this message: the platform's referral (Telegram `/start` payload,
 * Instagram ig.me `ref`) when it is a known code, else a known code in the text (the prefilled
 * WhatsApp text). An unknown code is no source at all: it is not stored, so reports never count typos
 * or other offices' links.
 */
export function bannerCodeOf(
  message: { referralCode?: string; text: string },
  sites: readonly BannerSite[] = DEPOK_KELURAHAN,
): string | undefined {
  const referred = message.referralCode ? findBannerSite(message.referralCode, sites) : null;
  return referred?.code ?? detectBannerCode(message.text, sites) ?? undefined;
}
