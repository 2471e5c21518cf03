import { z } from 'zod';
import { completeServiceSettings } from '../services/effective-services.ts';
import { SERVICE_CODES } from '../services/service-catalogue.ts';
import { parseDuration } from '../sla/duration.ts';
import {
  MAX_TEMPLATE_LENGTH,
  TEMPLATE_NAMES,
  type TemplateOverrides,
  templateOverrideProblems,
} from '../templates/citizen-texts.ts';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time as HH:MM (00:00 to 24:00)');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(isCalendarDate, 'a date that exists on the calendar');
const isoDuration = z
  .string()
  .refine((value) => parseDuration(value) !== null, 'an ISO 8601 duration such as PT72H');

function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day;
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const serviceName = z.string().trim().min(1).max(80);
const requirementList = z.array(z.string().trim().min(1).max(300)).max(30);
const extraKeywords = z.array(z.string().trim().min(2).max(60)).max(50);

/** One service as the policy holds it: every field filled from the catalogue when the admin left it out. */
export const serviceSettingSchema = z.object({
  code: z.enum(SERVICE_CODES),
  online: z.boolean(),
  /** YYYY-MM-DD: when an offline service is expected back; told to citizens who ask for it. */
  resumesOn: isoDate.nullable(),
  name: serviceName,
  requirements: requirementList,
  /** Extra keywords on top of the built-in classifier; they win over its rules. */
  keywords: extraKeywords,
});

/** One service in a PATCH: only `code` is needed; what is left out takes the catalogue's default. */
export const serviceSettingPatchSchema = z
  .object({
    code: serviceSettingSchema.shape.code,
    online: z.boolean().optional(),
    resumesOn: isoDate.nullable().optional(),
    name: serviceName.optional(),
    requirements: requirementList.optional(),
    keywords: extraKeywords.optional(),
  })
  .strict();

function serviceList<T extends z.ZodType<{ code: string }>>(entry: T) {
  return z
    .array(entry)
    .max(SERVICE_CODES.length)
    .superRefine((services, ctx) => {
      const seen = new Set<string>();
      services.forEach((service, index) => {
        if (seen.has(service.code)) {
          ctx.addIssue({ code: 'custom', path: [index, 'code'], message: `${service.code} is listed twice` });
        }
        seen.add(service.code);
      });
    });
}

function templateOverrideIssues(overrides: Record<string, string | null | undefined>, ctx: z.RefinementCtx) {
  for (const name of TEMPLATE_NAMES) {
    const text = overrides[name];
    if (typeof text !== 'string') continue;
    for (const message of templateOverrideProblems(name, text)) {
      ctx.addIssue({ code: 'custom', path: [name], message });
    }
  }
}

/**
 * Admins' replacements for citizen texts, by template name. Each must stay under
 * MAX_TEMPLATE_LENGTH, use only that template's placeholders, and keep its required ones (the ticket
 * or complaint number, the date the citizen needs).
 */
export const templateOverridesSchema = z
  .partialRecord(z.enum(TEMPLATE_NAMES), z.string().max(MAX_TEMPLATE_LENGTH))
  .superRefine(templateOverrideIssues);

/** In a PATCH, null removes an override (the built-in text applies again); other names are kept. */
const templateOverridesPatchSchema = z
  .partialRecord(z.enum(TEMPLATE_NAMES), z.string().max(MAX_TEMPLATE_LENGTH).nullable())
  .superRefine(templateOverrideIssues);

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
    /**
     * When the first-response clock starts for a message that arrives outside service hours: at
     * receipt, or at the next opening (the office's promise counts service time, not nights).
     */
    clockStarts: z.enum(['received', 'next_opening']),
  }),
  /** Every catalogue service, in menu order (merging fills the ones a PATCH leaves out). */
  services: serviceList(serviceSettingSchema),
  templates: templateOverridesSchema,
  /** New tickets: left for officers to pick (`manual`), or given in turn to active officers. */
  assignment: z.object({ mode: z.enum(['manual', 'round_robin']) }),
  /** Citizens' files older than this many days are deleted (the messages stay); null keeps them. */
  retention: z.object({ attachmentDays: z.number().int().min(1).max(3650).nullable() }),
  /** Where the kelurahan banners point: the office's accounts on each channel. */
  banners: z.object({
    telegramBot: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{4,31}$/, "the bot's username, without @")
      .nullable(),
    whatsappNumber: z
      .string()
      .regex(/^[1-9]\d{7,14}$/, 'the number in international form without +, e.g. 6281234567890')
      .nullable(),
    instagramAccount: z
      .string()
      .regex(/^[A-Za-z0-9._]{1,30}$/, 'the account name, without @')
      .nullable(),
  }),
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
  sla: { firstResponse: 'PT72H', warnAt: 0.8, clockStarts: 'next_opening' },
  // The catalogue's defaults: all online except e-KTP recording (see services/service-catalogue.ts).
  services: completeServiceSettings([]),
  templates: {},
  assignment: { mode: 'manual' },
  retention: { attachmentDays: null },
  banners: { telegramBot: null, whatsappNumber: null, instagramAccount: null },
};

/**
 * A PATCH body: any part of the policy. Nested objects are merged and arrays replaced; `services`
 * replaces the list (services it leaves out get the catalogue's defaults); `templates` is merged by
 * name, and a null removes an override.
 */
export const officePolicyPatchSchema = z
  .object({
    officeName: officePolicySchema.shape.officeName,
    ticketPrefix: officePolicySchema.shape.ticketPrefix,
    timezone: officePolicySchema.shape.timezone,
    serviceHours: officePolicySchema.shape.serviceHours.partial().strict(),
    holidays: officePolicySchema.shape.holidays,
    sla: officePolicySchema.shape.sla.partial().strict(),
    services: serviceList(serviceSettingPatchSchema),
    templates: templateOverridesPatchSchema,
    assignment: officePolicySchema.shape.assignment.partial().strict(),
    retention: officePolicySchema.shape.retention.partial().strict(),
    banners: officePolicySchema.shape.banners.partial().strict(),
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
    assignment: { ...current.assignment, ...patch.assignment },
    retention: { ...current.retention, ...patch.retention },
    banners: { ...current.banners, ...patch.banners },
    services: completeServiceSettings(patch.services ?? current.services),
    templates: mergeTemplateOverrides(current.templates, patch.templates),
  });
}

function mergeTemplateOverrides(
  current: TemplateOverrides,
  patch: Partial<Record<keyof TemplateOverrides, string | null>> | undefined,
): TemplateOverrides {
  const merged: TemplateOverrides = { ...current };
  for (const name of TEMPLATE_NAMES) {
    const text = patch?.[name];
    if (text === null) delete merged[name];
    else if (text !== undefined) merged[name] = text;
  }
  return merged;
}

/**
 * Reads a stored policy leniently: fields missing from an older version get today's defaults, and
 * a service or text override that today's rules reject is dropped on its own rather than costing the
 * office its whole policy. Anything else unreadable falls back to the defaults.
 */
export function readStoredPolicy(stored: unknown): OfficePolicy {
  const parsed = officePolicyPatchSchema.safeParse(salvageParts(stored));
  if (!parsed.success) return DEFAULT_OFFICE_POLICY;
  return mergeOfficePolicy(DEFAULT_OFFICE_POLICY, parsed.data);
}

function salvageParts(stored: unknown): unknown {
  if (!isRecord(stored)) return stored;
  const salvaged: Record<string, unknown> = { ...stored };
  if (Array.isArray(stored.services)) {
    const valid = stored.services.filter((entry) => serviceSettingPatchSchema.safeParse(entry).success);
    salvaged.services = serviceList(serviceSettingPatchSchema).safeParse(valid).success ? valid : undefined;
  }
  if (isRecord(stored.templates)) {
    salvaged.templates = Object.fromEntries(
      Object.entries(stored.templates).filter(
        ([name, text]) => templateOverridesSchema.safeParse({ [name]: text }).success,
      ),
    );
  }
  return salvaged;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
