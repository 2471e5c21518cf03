// NIK and KK numbers are 16 digits (UU PDP personal data). Citizens also write them in groups
// ("3276 0101 0101 0001") or with dots and dashes, so separators between groups of four are allowed.
const SIXTEEN_DIGITS = /(?<![\d])(\d{4})([ .-]?)(\d{4})\2(\d{4})\2(\d{4})(?![\d])/g;

/** Masks every NIK/KK-like number: `3276010101010001` → `3276********0001`. */
export function maskPersonalData(text: string): string {
  return text.replace(
    SIXTEEN_DIGITS,
    (_match, first: string, sep: string, _b: string, _c: string, last: string) =>
      sep ? `${first}${sep}****${sep}****${sep}${last}` : `${first}********${last}`,
  );
}
