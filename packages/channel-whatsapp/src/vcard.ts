import type { InboundContactCard } from '@loket/core';

/** Undoes vCard text escaping (`\,` `\;` `\n` `\\`). */
function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, char: string) => (char === 'n' || char === 'N' ? '\n' : char));
}

/** Long lines are folded by a line break followed by a space or tab (RFC 6350 §3.2). */
function unfoldLines(vcard: string): string[] {
  return vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
}

/**
 * Reads the name and first phone number of a vCard as WhatsApp sends it when a citizen shares a
 * contact: `FN:Budi` and `TEL;type=CELL;waid=6281234567890:+62 812-3456-7890`. The `waid` parameter
 * is the WhatsApp account behind the number, when the sender's phone knows one.
 */
export function parseVcard(vcard: string, fallbackName = ''): InboundContactCard {
  let name = '';
  let structuredName = '';
  let phone: string | undefined;
  let waId: string | undefined;
  for (const line of unfoldLines(vcard)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [property = '', ...params] = line.slice(0, colon).split(';');
    const value = line.slice(colon + 1).trim();
    // Grouped properties look like `item1.TEL`; the group does not matter here.
    const field = property.replace(/^[^.]*\./, '').toUpperCase();
    if (field === 'FN' && !name) name = unescapeText(value);
    if (field === 'N' && !structuredName) {
      const [family = '', given = ''] = value.split(';').map(unescapeText);
      structuredName = [given, family].filter(Boolean).join(' ');
    }
    if (field === 'TEL' && phone === undefined) {
      const waidParam = params.find((param) => param.toLowerCase().startsWith('waid='));
      waId = waidParam?.slice('waid='.length).replace(/\D/g, '') || undefined;
      const digits = value.replace(/[^\d+]/g, '');
      phone = digits || undefined;
    }
  }
  const card: InboundContactCard = { name: name || structuredName || fallbackName.trim() };
  if (waId) {
    card.phone = `+${waId}`;
    card.externalUserId = `${waId}@s.whatsapp.net`;
  } else if (phone) {
    card.phone = phone;
  }
  return card;
}
