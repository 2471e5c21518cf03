// Canned responses: texts officers reuse in replies, with `{{placeholder}}`s filled in for the ticket
// at hand. Double braces on purpose: the citizen texts (templates/citizen-texts.ts) use single ones
// and a different set of names, and an officer must never confuse the two.
import { effectiveServices, findService, type ServiceSettingInput } from '../services/effective-services.ts';

export type CannedResponse = {
  id: string;
  /** What an officer types to find it: `syarat-akta`. */
  shortcut: string;
  title: string;
  body: string;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export const CANNED_SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;
export const MAX_CANNED_TITLE_LENGTH = 120;
export const MAX_CANNED_BODY_LENGTH = 4000;

/** Every placeholder a canned response may use, with what it becomes. */
export const CANNED_PLACEHOLDERS = {
  nama: "the citizen's name as the chat app gives it",
  nomor_tiket: 'the ticket number (DPK-2026-000123)',
  layanan: "the ticket's service, by the name citizens see in the menu",
  kantor: "the office's name",
  petugas: 'the name of the officer who sends the reply',
} as const;

export type CannedPlaceholder = keyof typeof CANNED_PLACEHOLDERS;
export type CannedValues = Record<CannedPlaceholder, string>;

const PLACEHOLDER = /\{\{([a-z_]+)\}\}/g;
// Near-misses that would otherwise reach a citizen as literal braces: "{{ nama }}", "{{Nama}}",
// "{{nomor tiket}}", and a known name in single braces ("{nama}").
const DOUBLE_BRACED = /\{\{[^{}\n]{0,40}\}\}/g;
const SINGLE_BRACED = /(?<!\{)\{([^{}\n]{1,40})\}(?!\})/g;

function isPlaceholder(name: string): name is CannedPlaceholder {
  return Object.hasOwn(CANNED_PLACEHOLDERS, name);
}

const ALLOWED = Object.keys(CANNED_PLACEHOLDERS)
  .map((name) => `{{${name}}}`)
  .join(', ');

/** Why `body` cannot be saved as a canned response; empty when it can. */
export function cannedBodyProblems(body: string): string[] {
  const problems: string[] = [];
  for (const found of new Set(body.match(DOUBLE_BRACED) ?? [])) {
    const name = found.slice(2, -2);
    if (!isPlaceholder(name)) problems.push(`unknown placeholder ${found}; allowed: ${ALLOWED}`);
  }
  for (const match of body.matchAll(SINGLE_BRACED)) {
    const name = match[1]?.trim() ?? '';
    if (isPlaceholder(name)) problems.push(`write {{${name}}} with double braces, not ${match[0]}`);
  }
  return [...new Set(problems)];
}

/** The values for one reply: the ticket's citizen, number and service, the office, the officer. */
export function cannedValuesFor(options: {
  ticket: { number: string; contactName: string; service: string };
  policy: { officeName: string; services: readonly ServiceSettingInput[] };
  officerName: string;
}): CannedValues {
  const services = effectiveServices(options.policy);
  return {
    nama: options.ticket.contactName,
    nomor_tiket: options.ticket.number,
    layanan: findService(services, options.ticket.service)?.name ?? options.ticket.service,
    kantor: options.policy.officeName,
    petugas: options.officerName,
  };
}

/**
 * Fills the placeholders. Bodies are checked when saved, so every placeholder is known; one that is
 * not (a row edited by hand) is left as written rather than silently dropped from the citizen's text.
 */
export function renderCannedResponse(body: string, values: CannedValues): string {
  return body.replace(PLACEHOLDER, (match, name: string) => (isPlaceholder(name) ? values[name] : match));
}
