import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_POLICY } from '../policy/office-policy.ts';
import {
  BANNER_CODE_PATTERN,
  bannerCodeOf,
  bannerPrefilledText,
  detectBannerCode,
  findBannerSite,
} from './banner-codes.ts';
import { bannerLinks } from './banner-links.ts';
import { DEPOK_KELURAHAN } from './depok-kelurahan.ts';

const kukusan = findBannerSite('beji--kukusan')!;

describe("Depok's kelurahan seed", () => {
  it('lists 63 kelurahan in 11 kecamatan with unique codes that fit a Telegram start payload', () => {
    const codes = DEPOK_KELURAHAN.map((site) => site.code);
    expect(codes).toHaveLength(63);
    expect(new Set(codes).size).toBe(63);
    expect(new Set(DEPOK_KELURAHAN.map((site) => site.kecamatan)).size).toBe(11);
    for (const code of codes) {
      expect(code).toMatch(BANNER_CODE_PATTERN);
      // Lower case and kecamatan--kelurahan: what detection relies on to never match an ordinary word.
      expect(code).toMatch(/^[a-z0-9-]+--[a-z0-9-]+$/);
    }
  });

  it('finds a site by code in any case, and nothing for an unknown code', () => {
    expect(findBannerSite('BEJI--Kukusan')).toEqual({
      code: 'beji--kukusan',
      kelurahan: 'Kukusan',
      kecamatan: 'Beji',
    });
    expect(findBannerSite('beji--nowhere')).toBeNull();
  });
});

describe('detectBannerCode', () => {
  const prefilled = bannerPrefilledText(kukusan, 'Disdukcapil Kota Depok');

  it('finds the code in the untouched prefilled WhatsApp text', () => {
    expect(prefilled).toBe('Halo Disdukcapil Kota Depok, saya mau bertanya. (Kode: beji--kukusan)');
    expect(detectBannerCode(prefilled)).toBe('beji--kukusan');
  });

  it.each([
    ['a question typed after it', `${prefilled} Syarat bikin akta lahir apa ya?`],
    ['the greeting rewritten', 'Pagi pak, mau tanya KK hilang. Kode: beji--kukusan'],
    ['brackets and the label removed', 'beji--kukusan mau tanya KTP'],
    ['upper case', 'HALO (KODE: BEJI--KUKUSAN)'],
    ['WhatsApp bold and italics', 'halo *beji--kukusan* _beji--kukusan_'],
    ['an em dash from smart punctuation', 'Halo (Kode: beji—kukusan)'],
    ['an en dash', 'Halo (Kode: beji–kukusan)'],
    ['full-width characters', 'Halo (Kode: ｂｅｊｉ--ｋｕｋｕｓａｎ)'],
    ['a line break before it', 'Halo\n(Kode:\nbeji--kukusan)'],
  ])('tolerates %s', (_case, text) => {
    expect(detectBannerCode(text)).toBe('beji--kukusan');
  });

  it.each([
    ['no code', 'Halo, saya mau tanya syarat KTP'],
    ['a kelurahan named in passing', 'saya tinggal di kukusan, beji'],
    ['an unknown code', 'Halo (Kode: beji--atlantis)'],
    ['a known code inside a longer word', 'Halo (Kode: xbeji--kukusan)'],
    ['a truncated code', 'Halo (Kode: beji--kukus)'],
    ['the empty text', ''],
  ])('ignores %s', (_case, text) => {
    expect(detectBannerCode(text)).toBeNull();
  });

  it('takes the first known code when a text carries two', () => {
    expect(detectBannerCode('cinere--gandul lalu beji--kukusan')).toBe('cinere--gandul');
  });

  it('uses the list it is given', () => {
    const sites = [{ code: 'pasar--satu', kelurahan: 'Satu', kecamatan: 'Pasar' }];
    expect(detectBannerCode('kode pasar--satu', sites)).toBe('pasar--satu');
    expect(detectBannerCode('kode beji--kukusan', sites)).toBeNull();
  });
});

describe('bannerCodeOf', () => {
  it("prefers a known referral (Telegram /start, Instagram ref), in the list's own case", () => {
    expect(bannerCodeOf({ referralCode: 'Cinere--Gandul', text: '/start' })).toBe('cinere--gandul');
    expect(bannerCodeOf({ referralCode: 'cinere--gandul', text: 'Kode: beji--kukusan' })).toBe(
      'cinere--gandul',
    );
  });

  it('falls back to the text when the referral is unknown, and gives nothing when neither is known', () => {
    expect(bannerCodeOf({ referralCode: 'KEL-BEJI', text: 'Kode: beji--kukusan' })).toBe('beji--kukusan');
    expect(bannerCodeOf({ referralCode: 'KEL-BEJI', text: '/start' })).toBeUndefined();
    expect(bannerCodeOf({ text: 'halo' })).toBeUndefined();
  });
});

describe('bannerLinks', () => {
  it('gives no link for a channel whose account the office has not set', () => {
    expect(bannerLinks(kukusan, DEFAULT_OFFICE_POLICY)).toEqual({
      telegram: null,
      whatsapp: null,
      instagram: null,
    });
  });

  it("builds each platform's link with the code where the platform hands it back", () => {
    const links = bannerLinks(kukusan, {
      officeName: 'Disdukcapil Kota Depok',
      banners: {
        telegramBot: 'DisdukcapilDepokBot',
        whatsappNumber: '6281234567890',
        instagramAccount: 'disdukcapil.depok',
      },
    });
    expect(links.telegram).toBe('https://t.me/DisdukcapilDepokBot?start=beji--kukusan');
    expect(links.instagram).toBe('https://ig.me/m/disdukcapil.depok?ref=beji--kukusan');
    expect(links.whatsapp).toBe(
      'https://wa.me/6281234567890?text=Halo%20Disdukcapil%20Kota%20Depok%2C%20saya%20mau%20bertanya.%20(Kode%3A%20beji--kukusan)',
    );
    // What WhatsApp puts in the box is what detection finds.
    const text = new URL(links.whatsapp!).searchParams.get('text')!;
    expect(detectBannerCode(text)).toBe('beji--kukusan');
  });
});
