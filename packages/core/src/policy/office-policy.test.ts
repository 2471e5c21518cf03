import { describe, expect, it } from 'vitest';
import { SERVICE_CODES } from '../services/service-catalogue.ts';
import {
  DEFAULT_OFFICE_POLICY,
  mergeOfficePolicy,
  officePolicyPatchSchema,
  officePolicySchema,
  readStoredPolicy,
} from './office-policy.ts';

// The office policy exactly as ../shared/CONTRACT.md publishes it.
const CONTRACT_POLICY = {
  timezone: 'Asia/Jakarta',
  serviceHours: { days: [1, 2, 3, 4, 5], open: '08:00', close: '12:00' },
  holidays: [],
  sla: { firstResponse: 'PT72H', warnAt: 0.8 },
  services: [{ code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: null }],
};

function issuePaths(patch: unknown): string[] {
  const result = officePolicyPatchSchema.safeParse(patch);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('office policy', () => {
  it('defaults to Disdukcapil Kota Depok, a superset of the published contract', () => {
    expect(DEFAULT_OFFICE_POLICY).toMatchObject({
      ...CONTRACT_POLICY,
      sla: { ...CONTRACT_POLICY.sla, clockStarts: 'next_opening' },
      services: expect.arrayContaining([expect.objectContaining(CONTRACT_POLICY.services[0])]),
      templates: {},
    });
    expect(officePolicySchema.parse(DEFAULT_OFFICE_POLICY)).toEqual(DEFAULT_OFFICE_POLICY);
    expect(mergeOfficePolicy(DEFAULT_OFFICE_POLICY, officePolicyPatchSchema.parse(CONTRACT_POLICY))).toEqual(
      DEFAULT_OFFICE_POLICY,
    );
  });

  it('lists every catalogue service in menu order, all online but e-KTP recording', () => {
    expect(DEFAULT_OFFICE_POLICY.services.map((service) => service.code)).toEqual([...SERVICE_CODES]);
    expect(DEFAULT_OFFICE_POLICY.services.filter((service) => !service.online).map((s) => s.code)).toEqual([
      'PEREKAMAN_KTP_EL',
    ]);
  });

  it('merges a partial patch, changing only what it names', () => {
    const next = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      serviceHours: { close: '24:00' },
      sla: { warnAt: 0.5 },
    });
    expect(next.serviceHours).toEqual({ days: [1, 2, 3, 4, 5], open: '08:00', close: '24:00' });
    expect(next.sla).toEqual({ firstResponse: 'PT72H', warnAt: 0.5, clockStarts: 'next_opening' });
    expect(next.timezone).toBe('Asia/Jakarta');
    expect(mergeOfficePolicy(next, { sla: { clockStarts: 'received' } }).sla.clockStarts).toBe('received');
  });

  it('replaces the services list, filling the services it leaves out from the catalogue', () => {
    const paused = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      services: [
        { code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: '2026-03-02' },
        { code: 'KK', online: false, requirements: ['KK lama'], keywords: ['kartu kelg'] },
      ],
    });
    expect(paused.services.map((service) => service.code)).toEqual([...SERVICE_CODES]);
    expect(paused.services.find((service) => service.code === 'PEREKAMAN_KTP_EL')).toMatchObject({
      online: false,
      resumesOn: '2026-03-02',
      name: 'Perekaman KTP-el',
    });
    expect(paused.services.find((service) => service.code === 'KK')).toMatchObject({
      online: false,
      requirements: ['KK lama'],
      keywords: ['kartu kelg'],
      name: 'Kartu Keluarga (KK)',
    });

    // Replacing again without PEREKAMAN_KTP_EL puts it back to the catalogue's default.
    const reset = mergeOfficePolicy(paused, { services: [{ code: 'KIA', name: 'KIA (Kartu Anak)' }] });
    expect(reset.services.find((service) => service.code === 'PEREKAMAN_KTP_EL')).toMatchObject({
      online: false,
      resumesOn: null,
    });
    expect(reset.services.find((service) => service.code === 'KK')?.online).toBe(true);
    expect(reset.services.find((service) => service.code === 'KIA')).toMatchObject({
      name: 'KIA (Kartu Anak)',
      online: true,
    });
  });

  it('merges text overrides by name; null removes one', () => {
    const withTexts = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      templates: {
        acknowledgement: 'Pesan diterima. Tiket {nomor_tiket}, dibalas paling lambat {janji_waktu}.',
        service_set: 'Layanan: {nama_layanan}.',
      },
    });
    const fewer = mergeOfficePolicy(withTexts, { templates: { service_set: null } });
    expect(Object.keys(fewer.templates)).toEqual(['acknowledgement']);
    expect(mergeOfficePolicy(fewer, { officeName: 'Disdukcapil Kota Bogor' }).templates).toEqual(
      fewer.templates,
    );
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ serviceHours: { open: '25:00' } }, 'serviceHours.open'],
    [{ sla: { firstResponse: 'three days' } }, 'sla.firstResponse'],
    [{ sla: { clockStarts: 'tomorrow' } }, 'sla.clockStarts'],
    [{ holidays: ['17-08-2026'] }, 'holidays.0'],
    [{ holidays: ['2026-02-30'] }, 'holidays.0'],
    [{ unknown: true }, ''],
    [{ services: [{ code: 'PASPOR', online: true }] }, 'services.0.code'],
    [{ services: [{ code: 'KK' }, { code: 'KK', online: false }] }, 'services.1.code'],
    [{ services: [{ code: 'KK', resumesOn: 'next week' }] }, 'services.0.resumesOn'],
    [{ services: [{ code: 'KK', requirements: [''] }] }, 'services.0.requirements.0'],
    [{ services: [{ code: 'KK', colour: 'red' }] }, 'services.0'],
    [{ templates: { greeting: 'Halo' } }, 'templates'],
    [{ templates: { acknowledgement: 'Terima kasih.' } }, 'templates.acknowledgement'],
    [
      { templates: { acknowledgement: '{nomor_tiket} {janji_waktu} {Nomor_Tiket}' } },
      'templates.acknowledgement',
    ],
    [{ templates: { service_set: '{nama_layanan} {nomer_tiket}' } }, 'templates.service_set'],
    [{ templates: { service_set: `{nama_layanan}${'.'.repeat(1000)}` } }, 'templates.service_set'],
    [{ templates: { service_set: '   ' } }, 'templates.service_set'],
  ])('rejects %j', (patch, path) => {
    expect(issuePaths(patch)).toContain(path);
  });

  it('explains what an override is missing', () => {
    const result = officePolicyPatchSchema.safeParse({
      templates: { out_of_hours: 'Kantor tutup. {nomor_tiket}' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toContain('must keep {jadwal_buka}');
  });

  it('reads an older or damaged stored policy with the defaults filled in', () => {
    expect(readStoredPolicy({ officeName: 'Disdukcapil Kota Bogor' }).officeName).toBe(
      'Disdukcapil Kota Bogor',
    );
    expect(readStoredPolicy({ sla: 'garbage' })).toEqual(DEFAULT_OFFICE_POLICY);
    expect(readStoredPolicy(null)).toEqual(DEFAULT_OFFICE_POLICY);
  });

  it('reads a policy stored before the catalogue and clockStarts existed', () => {
    const policy = readStoredPolicy({
      ...CONTRACT_POLICY,
      officeName: 'Disdukcapil Kota Depok',
      ticketPrefix: 'DPK',
      sla: { firstResponse: 'PT48H', warnAt: 0.8 },
      services: [{ code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: '2026-03-02' }],
    });
    expect(policy.sla).toEqual({ firstResponse: 'PT48H', warnAt: 0.8, clockStarts: 'next_opening' });
    expect(policy.services).toHaveLength(SERVICE_CODES.length);
    expect(policy.services[1]).toMatchObject({ code: 'PEREKAMAN_KTP_EL', resumesOn: '2026-03-02' });
    expect(policy.templates).toEqual({});
  });

  it('drops a stored service or text that today rejects, keeping the rest of the policy', () => {
    const policy = readStoredPolicy({
      officeName: 'Disdukcapil Kota Bogor',
      services: [
        { code: 'PASPOR', online: true },
        { code: 'KK', online: false },
      ],
      templates: {
        acknowledgement: 'Tanpa nomor tiket.',
        service_set: 'Layanan: {nama_layanan}.',
        retired_template: 'Halo',
      },
    });
    expect(policy.officeName).toBe('Disdukcapil Kota Bogor');
    expect(policy.services.find((service) => service.code === 'KK')?.online).toBe(false);
    expect(policy.templates).toEqual({ service_set: 'Layanan: {nama_layanan}.' });
  });
});
