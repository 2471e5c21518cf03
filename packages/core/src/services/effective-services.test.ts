import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy } from '../policy/office-policy.ts';
import { DEFAULT_SERVICES, effectiveServices, findService } from './effective-services.ts';
import { SERVICE_CATALOGUE, SERVICE_CODES } from './service-catalogue.ts';

describe('service catalogue', () => {
  it('numbers the menu 1 to 10 in code order, each service named and with requirements', () => {
    expect(SERVICE_CATALOGUE.map((service) => service.code)).toEqual([...SERVICE_CODES]);
    expect(SERVICE_CATALOGUE.map((service) => service.menuOrder)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const service of SERVICE_CATALOGUE) {
      expect(service.name.length).toBeGreaterThan(2);
      if (service.code !== 'LAINNYA') expect(service.requirements.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('lists the akta kelahiran requirements an office publishes', () => {
    const requirements = findService(DEFAULT_SERVICES, 'AKTA_KELAHIRAN')?.requirements.join('\n');
    for (const fact of [
      'surat keterangan lahir',
      'Kartu Keluarga',
      'KTP-el kedua orang tua',
      'buku nikah',
      '2 orang saksi',
    ]) {
      expect(requirements).toContain(fact);
    }
  });
});

describe('effectiveServices', () => {
  it('is the catalogue when the policy changes nothing', () => {
    const services = effectiveServices(DEFAULT_OFFICE_POLICY);
    expect(services).toEqual(DEFAULT_SERVICES);
    expect(services.map((service) => [service.code, service.online])).toContainEqual([
      'PEREKAMAN_KTP_EL',
      false,
    ]);
    expect(
      services.every((service) => service.resumesOn === null && service.extraKeywords.length === 0),
    ).toBe(true);
  });

  it("applies the office's settings on top of the catalogue", () => {
    const policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      services: [
        { code: 'PEREKAMAN_KTP_EL', online: false, resumesOn: '2026-03-02' },
        { code: 'LEGALISIR', name: 'Legalisir', requirements: ['Dokumen asli'], keywords: ['cap basah'] },
      ],
    });
    const services = effectiveServices(policy);
    expect(services).toHaveLength(SERVICE_CODES.length);
    expect(findService(services, 'PEREKAMAN_KTP_EL')?.resumesOn).toBe('2026-03-02');
    expect(findService(services, 'LEGALISIR')).toMatchObject({
      name: 'Legalisir',
      menuOrder: 8,
      requirements: ['Dokumen asli'],
      keywords: ['legalisir', 'legalisasi'],
      extraKeywords: ['cap basah'],
    });
    expect(findService(services, 'NOT_A_SERVICE')).toBeNull();
  });
});
