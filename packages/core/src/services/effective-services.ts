import { SERVICE_CATALOGUE, type ServiceCode } from './service-catalogue.ts';

/** A service entry as an admin writes it in the policy: only `code` is needed, the rest defaults. */
export type ServiceSettingInput = {
  code: ServiceCode;
  online?: boolean | undefined;
  resumesOn?: string | null | undefined;
  name?: string | undefined;
  requirements?: string[] | undefined;
  /** Extra keywords on top of the built-in classifier, e.g. a local word for a service. */
  keywords?: string[] | undefined;
};

/** A service entry as the policy holds it after merging: every field filled in. */
export type CompleteServiceSetting = {
  code: ServiceCode;
  online: boolean;
  resumesOn: string | null;
  name: string;
  requirements: string[];
  keywords: string[];
};

/** One service as the rest of the system uses it: the catalogue with the office's settings applied. */
export type EffectiveService = {
  code: ServiceCode;
  name: string;
  menuOrder: number;
  online: boolean;
  resumesOn: string | null;
  requirements: string[];
  /** The catalogue's built-in phrases. */
  keywords: string[];
  /** The office's own keywords; the classifier checks them before its built-in rules. */
  extraKeywords: string[];
};

/**
 * Fills every catalogue service the list does not mention with the catalogue's defaults, and every
 * field an entry leaves out with that service's defaults, in menu order. The filled-in names and
 * requirements are written into the policy on purpose: the admin then sees and edits the exact text
 * citizens get, instead of an invisible default.
 */
export function completeServiceSettings(entries: readonly ServiceSettingInput[]): CompleteServiceSetting[] {
  return SERVICE_CATALOGUE.map((service) => {
    const entry = entries.find((candidate) => candidate.code === service.code);
    return {
      code: service.code,
      online: entry?.online ?? service.online,
      resumesOn: entry?.resumesOn ?? service.resumesOn,
      name: entry?.name ?? service.name,
      requirements: entry?.requirements ?? [...service.requirements],
      keywords: entry?.keywords ?? [],
    };
  });
}

/** The merged catalogue for a policy: always all services, in menu order. */
export function effectiveServices(policy: { services: readonly ServiceSettingInput[] }): EffectiveService[] {
  const settings = completeServiceSettings(policy.services);
  return SERVICE_CATALOGUE.map((service, index) => {
    const setting = settings[index]!;
    return {
      code: service.code,
      name: setting.name,
      menuOrder: service.menuOrder,
      online: setting.online,
      resumesOn: setting.resumesOn,
      requirements: setting.requirements,
      keywords: [...service.keywords],
      extraKeywords: setting.keywords,
    };
  });
}

/** The default catalogue, for callers that have no policy at hand (and for tests). */
export const DEFAULT_SERVICES: readonly EffectiveService[] = effectiveServices({ services: [] });

export function findService(services: readonly EffectiveService[], code: string): EffectiveService | null {
  return services.find((service) => service.code === code) ?? null;
}
