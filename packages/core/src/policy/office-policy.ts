import { z } from 'zod';
import { parseDuration } from '../sla/duration.ts';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM (00:00 to 24:00)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const isoDuration = z
  .string()
  .refine((value) => parseDuration(value) !== null, 'an ISO 8601 duration such as PT72H');

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const serviceSettingSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'an upper-case service code'),
  online: z.boolean(),
  resumesOn: isoDate.nullable().default(null),
});

export const officePolicySchema = z.object({
  officeName: z.string().min(1).max(120),
  /** Prefix of human ticket numbers: DPK-2026-000123. */
  ticketPrefix: z.string().regex(/^[A-Z]{2,6}$/, '2 to 6 upper-case letters'),
  timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Asia/Jakarta'),
  serviceHours: z.object({
    days: z.array(z.number().int().min(1).max(7)).max(7),
    open: clockTime,
    close: clockTime,
  }),
  holidays: z.array(isoDate).max(366),
  sla: z.object({
    firstResponse: isoDuration,
    warnAt: z.number().gt(0).lt(1),
  }),
  services: z.array(serviceSettingSchema).max(100),
});

export type OfficePolicy = z.infer<typeof officePolicySchema>;
export type ServiceSetting = z.infer<typeof serviceSettingSchema>;

/** Disdukcapil Kota Depok's rules: the product's defaults. */
export const DEFAULT_OFFICE_POLICY: OfficePolicy = {
  officeName: 'Disdukcapil Kota Depok',
  ticketPrefix: 'DPK',
  timezone: 'Asia/Jakarta',
  serviceHours: { days: [1, 2, 3, 4, 5], open: '08:00', close: '12:00' },
  holidays: [],
  sla: { firstResponse: 'PT72H', warnAt: 0.8 },
  services: [{ code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: null }],
};

/** A PATCH body: any part of the policy, nested objects merged, arrays replaced. */
export const officePolicyPatchSchema = z
  .object({
    officeName: officePolicySchema.shape.officeName,
    ticketPrefix: officePolicySchema.shape.ticketPrefix,
    timezone: officePolicySchema.shape.timezone,
    serviceHours: officePolicySchema.shape.serviceHours.partial().strict(),
    holidays: officePolicySchema.shape.holidays,
    sla: officePolicySchema.shape.sla.partial().strict(),
    services: officePolicySchema.shape.services,
  })
  .partial()
  .strict();

export type OfficePolicyPatch = z.infer<typeof officePolicyPatchSchema>;

export function mergeOfficePolicy(current: OfficePolicy, patch: OfficePolicyPatch): OfficePolicy {
  return officePolicySchema.parse({
    ...current,
    ...patch,
    serviceHours: { ...current.serviceHours, ...patch.serviceHours },
    sla: { ...current.sla, ...patch.sla },
  });
}

/** Reads a stored policy leniently: fields missing from an older version get today's defaults. */
export function readStoredPolicy(stored: unknown): OfficePolicy {
  const parsed = officePolicyPatchSchema.safeParse(stored);
  if (!parsed.success) return DEFAULT_OFFICE_POLICY;
  return mergeOfficePolicy(DEFAULT_OFFICE_POLICY, parsed.data);
}
