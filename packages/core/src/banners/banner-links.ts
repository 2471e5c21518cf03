import type { OfficePolicy } from '../policy/office-policy.ts';
import { bannerPrefilledText } from './banner-codes.ts';
import type { BannerSite } from './depok-kelurahan.ts';

export const BANNER_CHANNELS = ['telegram', 'whatsapp', 'instagram'] as const;
export type BannerChannel = (typeof BANNER_CHANNELS)[number];

/** Each channel's link for one banner; null where the office has not set that account. */
export type BannerLinks = Record<BannerChannel, string | null>;

/** Which policy field holds the account a channel's links point to. */
export const BANNER_ACCOUNT_FIELD = {
  telegram: 'telegramBot',
  whatsapp: 'whatsappNumber',
  instagram: 'instagramAccount',
} as const satisfies Record<BannerChannel, keyof OfficePolicy['banners']>;

const EXAMPLE_ACCOUNT: Record<BannerChannel, string> = {
  telegram: 'DisdukcapilDepokBot',
  whatsapp: '6281234567890',
  instagram: 'disdukcapil.depok',
};

/** What an admin does to get a channel's links, for the API's `null` links. */
export function bannerAccountHint(channel: BannerChannel): string {
  const field = BANNER_ACCOUNT_FIELD[channel];
  return `set banners.${field} with PATCH /v1/admin/settings, e.g. {"banners": {"${field}": "${EXAMPLE_ACCOUNT[channel]}"}}`;
}

/**
 * The links a banner's QR codes carry. Each carries the code the way its platform hands it back:
 * - Telegram: `t.me/<bot>?start=<code>`; the bot receives `/start <code>`.
 * - WhatsApp: `wa.me/<number>?text=…`; WhatsApp has no referral, so the code rides in the prefilled
 *   text and core finds it in the citizen's first message.
 * - Instagram: `ig.me/m/<account>?ref=<code>`; Meta sends the ref along with the citizen's message,
 *   and only to the official Instagram messaging channel (`instagram-graph`), not to `instagram`.
 */
export function bannerLinks(
  site: BannerSite,
  policy: Pick<OfficePolicy, 'banners' | 'officeName'>,
): BannerLinks {
  const { telegramBot, whatsappNumber, instagramAccount } = policy.banners;
  const code = encodeURIComponent(site.code);
  return {
    telegram: telegramBot ? `https://t.me/${telegramBot}?start=${code}` : null,
    whatsapp: whatsappNumber
      ? `https://wa.me/${whatsappNumber}?text=${encodeURIComponent(bannerPrefilledText(site, policy.officeName))}`
      : null,
    instagram: instagramAccount ? `https://ig.me/m/${instagramAccount}?ref=${code}` : null,
  };
}
