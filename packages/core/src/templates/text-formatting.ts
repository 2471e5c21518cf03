// How lists, dates and durations read inside the citizen texts. Callers pass the results as template
// data, so the wording stays in the templates module and callers stay free of Indonesian.
import { parseDuration } from '../sla/duration.ts';
import { TEXT_PARTS, type TemplateName } from './citizen-texts.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "1. Cetak/Ganti KTP-el", one service a line in menu order; a visit-only service says so. */
export function formatServiceMenu(
  services: readonly { menuOrder: number; name: string; online: boolean }[],
): string {
  return [...services]
    .sort((a, b) => a.menuOrder - b.menuOrder)
    .map((service) => {
      const note = service.online ? '' : ` ${TEXT_PARTS.inPersonOnly}`;
      return `${service.menuOrder}. ${service.name}${note}`;
    })
    .join('\n');
}

/**
 * "- Kartu Keluarga (KK)", one requirement a line. Dashes rather than numbers, so that a citizen who
 * just saw the numbered service menu does not answer with a requirement's number.
 */
export function formatRequirementList(requirements: readonly string[]): string {
  if (requirements.length === 0) return TEXT_PARTS.requirementsExplainedByOfficer;
  return requirements.map((requirement) => `- ${requirement}`).join('\n');
}

/** "Senin, 2 Maret 2026" from "2026-03-02" (a policy date such as `resumesOn`; no time zone involved). */
export function formatIndonesianDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!match || !date || date.getUTCDate() !== Number(match[3])) throw new Error(`not a date: ${isoDate}`);
  const isoWeekday = ((date.getUTCDay() + 6) % 7) + 1;
  const weekday = TEXT_PARTS.weekdays[isoWeekday - 1];
  return `${weekday}, ${date.getUTCDate()} ${TEXT_PARTS.months[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/**
 * Time left on a promise, rounded down so it never promises more than there is: "2 hari 5 jam",
 * "5 jam", "40 menit", "kurang dari 1 menit".
 */
export function formatTimeLeft(ms: number): string {
  const { day, hour, minute } = TEXT_PARTS.units;
  if (ms < MINUTE) return `kurang dari 1 ${minute}`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} ${minute}`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} ${hour}`;
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  return hours === 0 ? `${days} ${day}` : `${days} ${day} ${hours} ${hour}`;
}

/**
 * The first-response promise as citizens know it: whole days as "3x24 jam" (PT72H, P3D), otherwise
 * hours, minutes or seconds ("36 jam", "2 detik"). Keeps the acknowledgement true when an office
 * changes `sla.firstResponse`.
 */
export function formatResponsePromise(isoDuration: string): string {
  const ms = parseDuration(isoDuration);
  if (ms === null) return TEXT_PARTS.defaultPromise;
  const { hour, minute, second } = TEXT_PARTS.units;
  if (ms % DAY === 0) return `${ms / DAY}x24 ${hour}`;
  if (ms % HOUR === 0) return `${ms / HOUR} ${hour}`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} ${minute}`;
  return `${Math.ceil(ms / 1000)} ${second}`;
}

type ComplaintStatusWord = keyof typeof TEXT_PARTS.complaintStatus;

/** Where a pengaduan stands, for `complaint_exists`: "sedang ditindaklanjuti". */
export function complaintStatusPhrase(status: ComplaintStatusWord): string {
  return TEXT_PARTS.complaintStatus[status];
}

/** The text that tells the citizen their pengaduan moved to `status`. */
export const COMPLAINT_STAGE_TEMPLATES = {
  verified: 'complaint_verified',
  in_follow_up: 'complaint_in_follow_up',
  resolved: 'complaint_resolved',
  rejected: 'complaint_rejected',
} as const satisfies Record<Exclude<ComplaintStatusWord, 'received'>, TemplateName>;
