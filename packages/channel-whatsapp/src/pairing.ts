import { ChannelError } from '@loket/core';

/**
 * The number the office's WhatsApp account runs on, as WhatsApp wants it for a pairing code: the
 * full international number in digits (E.164 without the plus). Spaces, dashes, dots, brackets and a
 * leading + or 00 are tolerated; a national number starting with 0 is not, because WhatsApp would
 * read it as a different country.
 */
export function pairingPhoneDigits(phoneNumber: string): string {
  let digits = phoneNumber.trim().replace(/[\s\-().]/g, '');
  if (digits.startsWith('+')) digits = digits.slice(1);
  else if (digits.startsWith('00')) digits = digits.slice(2);
  if (!/^[1-9]\d{7,14}$/.test(digits)) {
    throw new ChannelError(
      'whatsapp',
      'phoneNumber must be the full international number, e.g. +62 812-3456-7890 or 6281234567890',
      { retryable: false, code: 'INVALID_PHONE_NUMBER' },
    );
  }
  return digits;
}
