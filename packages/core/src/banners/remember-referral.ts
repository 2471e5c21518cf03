import type { InboundReferral } from '../channel/types.ts';
import type { InboxStore } from '../ports.ts';
import { withoutNul } from '../tickets/receive-message.ts';
import { findBannerSite } from './banner-codes.ts';
import { type BannerSite, DEPOK_KELURAHAN } from './depok-kelurahan.ts';

export type RememberReferralResult =
  /** `sourceCode` is the contact's code afterwards: an earlier banner's, if one already brought them. */
  { outcome: 'remembered'; contactId: string; sourceCode: string | null } | { outcome: 'unknown-code' };

/**
 * Keeps the banner of a referral that came without a message (the citizen opened the chat through
 * the link and has not written yet) on the contact, creating the contact if needed. The first
 * message then finds the contact with its source code, as if the code had come with it. Only a known
 * code is kept, and only when the contact has none yet (the first banner counts), so a redelivered
 * referral changes nothing. No ticket is opened and nothing is sent.
 */
export async function rememberReferral(options: {
  store: InboxStore;
  referral: InboundReferral;
  sites?: readonly BannerSite[];
}): Promise<RememberReferralResult> {
  const referral = withoutNul(options.referral);
  const site = findBannerSite(referral.referralCode, options.sites ?? DEPOK_KELURAHAN);
  if (!site) return { outcome: 'unknown-code' };
  const contact = await options.store.transaction((tx) =>
    tx.findOrCreateContact({
      channel: referral.channel,
      externalUserId: referral.externalUserId,
      displayName: referral.displayName,
      handle: referral.handle,
      sourceCode: site.code,
    }),
  );
  return { outcome: 'remembered', contactId: contact.id, sourceCode: contact.sourceCode };
}
