import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OFFICE_POLICY,
  mergeOfficePolicy,
  officePolicyPatchSchema,
  readStoredPolicy,
} from './office-policy.ts';

describe('office policy', () => {
  it('defaults to Disdukcapil Kota Depok', () => {
    expect(DEFAULT_OFFICE_POLICY).toMatchObject({
      timezone: 'Asia/Jakarta',
      serviceHours: { days: [1, 2, 3, 4, 5], open: '08:00', close: '12:00' },
      holidays: [],
      sla: { firstResponse: 'PT72H', warnAt: 0.8 },
      services: [{ code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: null }],
    });
  });

  it('merges a partial patch, changing only what it names', () => {
    const next = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      serviceHours: { close: '24:00' },
      sla: { warnAt: 0.5 },
    });
    expect(next.serviceHours).toEqual({ days: [1, 2, 3, 4, 5], open: '08:00', close: '24:00' });
    expect(next.sla).toEqual({ firstResponse: 'PT72H', warnAt: 0.5 });
    expect(next.timezone).toBe('Asia/Jakarta');
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ serviceHours: { open: '25:00' } }, 'serviceHours.open'],
    [{ sla: { firstResponse: 'three days' } }, 'sla.firstResponse'],
    [{ holidays: ['17-08-2026'] }, 'holidays.0'],
    [{ unknown: true }, ''],
  ])('rejects %j', (patch, path) => {
    const result = officePolicyPatchSchema.safeParse(patch);
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('reads an older or damaged stored policy with the defaults filled in', () => {
    expect(readStoredPolicy({ officeName: 'Disdukcapil Kota Bogor' }).officeName).toBe(
      'Disdukcapil Kota Bogor',
    );
    expect(readStoredPolicy({ sla: 'garbage' })).toEqual(DEFAULT_OFFICE_POLICY);
    expect(readStoredPolicy(null)).toEqual(DEFAULT_OFFICE_POLICY);
  });
});
