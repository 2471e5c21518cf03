import { describe, expect, it } from 'vitest';
import { DEFAULT_OFFICE_POLICY, mergeOfficePolicy } from '../policy/office-policy.ts';
import { cannedBodyProblems, cannedValuesFor, renderCannedResponse } from './canned-text.ts';

const ticket = { number: 'DPK-2026-000123', contactName: 'Siti Aminah', service: 'AKTA_KELAHIRAN' };

describe('canned responses', () => {
  it('accepts every known placeholder and plain text', () => {
    expect(
      cannedBodyProblems(
        'Halo {{nama}}, tiket {{nomor_tiket}} ({{layanan}}) di {{kantor}}. Salam, {{petugas}}',
      ),
    ).toEqual([]);
    expect(cannedBodyProblems('Silakan datang ke kantor. Kode {x} tetap boleh.')).toEqual([]);
  });

  it('refuses unknown placeholders and near-misses, once each', () => {
    const problems = cannedBodyProblems('{{nik}} {{ nama }} {{Nama}} {{nik}} {nama}');
    expect(problems).toHaveLength(4);
    expect(problems[0]).toContain('unknown placeholder {{nik}}');
    expect(problems[0]).toContain('{{nama}}');
    expect(problems.join('\n')).toContain('{{ nama }}');
    expect(problems.join('\n')).toContain('{{Nama}}');
    expect(problems.at(-1)).toContain('write {{nama}} with double braces');
  });

  it('renders the ticket, service name from the policy, office and officer', () => {
    const policy = mergeOfficePolicy(DEFAULT_OFFICE_POLICY, {
      officeName: 'Disdukcapil Kota Contoh',
      services: [{ code: 'AKTA_KELAHIRAN', name: 'Akta Lahir' }],
    });
    const values = cannedValuesFor({ ticket, policy, officerName: 'Dewi' });
    expect(
      renderCannedResponse('Halo {{nama}}, {{nomor_tiket}}: {{layanan}} di {{kantor}}. {{petugas}}', values),
    ).toBe('Halo Siti Aminah, DPK-2026-000123: Akta Lahir di Disdukcapil Kota Contoh. Dewi');
  });

  it('does not expand placeholders inside the values, and keeps unknown ones as written', () => {
    const values = cannedValuesFor({
      ticket: { ...ticket, contactName: '{{kantor}}', service: 'UNKNOWN_CODE' },
      policy: DEFAULT_OFFICE_POLICY,
      officerName: 'Dewi',
    });
    expect(renderCannedResponse('{{nama}} {{layanan}} {{nik}}', values)).toBe(
      '{{kantor}} UNKNOWN_CODE {{nik}}',
    );
  });
});
