import { type BannerSite, DEPOK_KELURAHAN } from '../banners/depok-kelurahan.ts';
import { CHANNELS } from '../channel/types.ts';
import type { OfficePolicy } from '../policy/office-policy.ts';
import { effectiveServices } from '../services/effective-services.ts';
import { TEXT_PARTS } from '../templates/citizen-texts.ts';
import type { CountByKey, ReportFigures, ReportWindow } from './ports.ts';

/** The bucket for tickets no known banner brought. */
export const UNKNOWN_SOURCE = 'unknown';

export type SummaryReport = {
  range: { from: Date; to: Date; timezone: string };
  generatedAt: Date;
  tickets: {
    total: number;
    /** Every channel, in the usual order, zeros included. */
    byChannel: { channel: string; count: number }[];
    /** Every service in menu order (its current name), zeros included. */
    byService: { service: string; name: string; count: number }[];
    /** Every banner site in list order, zeros included (banners that bring nobody show), then `unknown`. */
    bySource: { code: string; kelurahan: string | null; kecamatan: string | null; count: number }[];
  };
  sla: {
    met: number;
    breached: number;
    openWithin: number;
    openBreached: number;
    /** met / (met + breached + openBreached): of the tickets whose outcome is known, the share answered in time. */
    complianceRate: number | null;
  };
  firstResponse: {
    /** Measured from the ticket's creation (the citizen's first message), not from the SLA clock's start. */
    measuredFrom: 'ticket_created';
    answered: number;
    medianSeconds: number | null;
    p90Seconds: number | null;
  };
  complaints: ReportFigures['complaints'];
  busiest: {
    /** 0..23 on the office's clocks. */
    byHour: { hour: number; count: number }[];
    /** 1 = Monday … 7 = Sunday, with the Indonesian day name. */
    byWeekday: { weekday: number; name: string; count: number }[];
  };
};

/**
 * Turns the database's figures into the report supervisors read: names for codes, every channel,
 * service, kelurahan, hour and weekday listed (zeros included, so a chart or pivot has every row),
 * and nothing lost: counts under codes the lists do not know are kept, after the known ones (or, for
 * banner codes, in `unknown`).
 */
export function buildSummaryReport(
  figures: ReportFigures,
  options: { window: ReportWindow; policy: Pick<OfficePolicy, 'services'>; sites?: readonly BannerSite[] },
): SummaryReport {
  const { window, policy, sites = DEPOK_KELURAHAN } = options;
  const total = sum(figures.ticketsByChannel);

  const byChannel = ordered(figures.ticketsByChannel, CHANNELS).map(({ key, count }) => ({
    channel: key,
    count,
  }));

  const services = effectiveServices(policy);
  const serviceName = new Map(services.map((service) => [service.code as string, service.name]));
  const byService = ordered(
    figures.ticketsByService,
    services.map((service) => service.code),
  ).map(({ key, count }) => ({ service: key, name: serviceName.get(key) ?? key, count }));

  const sourceCounts = new Map<string, number>();
  let unknownSource = 0;
  const known = new Set(sites.map((site) => site.code));
  for (const { key, count } of figures.ticketsBySource) {
    if (key !== null && known.has(key)) sourceCounts.set(key, (sourceCounts.get(key) ?? 0) + count);
    else unknownSource += count;
  }
  const bySource = [
    ...sites.map((site) => ({
      code: site.code,
      kelurahan: site.kelurahan,
      kecamatan: site.kecamatan,
      count: sourceCounts.get(site.code) ?? 0,
    })),
    { code: UNKNOWN_SOURCE, kelurahan: null, kecamatan: null, count: unknownSource },
  ];

  const { met, breached, openWithin, openBreached } = figures.sla;
  const decided = met + breached + openBreached;

  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0 }));
  const byWeekday = TEXT_PARTS.weekdays.map((name, index) => ({ weekday: index + 1, name, count: 0 }));
  for (const cell of figures.ticketsByLocalTime) {
    const hour = byHour[cell.hour];
    const weekday = byWeekday[cell.weekday - 1];
    if (hour) hour.count += cell.count;
    if (weekday) weekday.count += cell.count;
  }

  return {
    range: { from: window.from, to: window.to, timezone: window.timezone },
    generatedAt: window.now,
    tickets: { total, byChannel, byService, bySource },
    sla: {
      met,
      breached,
      openWithin,
      openBreached,
      complianceRate: decided ? round(met / decided, 4) : null,
    },
    firstResponse: {
      measuredFrom: 'ticket_created',
      answered: figures.firstResponse.answered,
      medianSeconds: roundOrNull(figures.firstResponse.medianSeconds),
      p90Seconds: roundOrNull(figures.firstResponse.p90Seconds),
    },
    complaints: figures.complaints,
    busiest: { byHour, byWeekday },
  };
}

/** The listed keys first, in their order and with zeros; keys the list lacks after them, kept. */
function ordered(counts: CountByKey<string>[], keys: readonly string[]): CountByKey<string>[] {
  const byKey = new Map<string, number>();
  for (const { key, count } of counts) byKey.set(key, (byKey.get(key) ?? 0) + count);
  const listed = keys.map((key) => ({ key, count: byKey.get(key) ?? 0 }));
  const others = [...byKey]
    .filter(([key]) => !keys.includes(key))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => ({ key, count }));
  return [...listed, ...others];
}

function sum(counts: { count: number }[]): number {
  return counts.reduce((total, entry) => total + entry.count, 0);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}
