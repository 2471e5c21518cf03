import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICES } from '../services/effective-services.ts';
import {
  acknowledgementText,
  CITIZEN_TEXTS,
  renderTemplate,
  TEMPLATE_NAMES,
  type TemplateData,
  TemplateDataError,
  type TemplateName,
  templateOverrideProblems,
} from './citizen-texts.ts';
import {
  COMPLAINT_STAGE_TEMPLATES,
  complaintStatusPhrase,
  formatIndonesianDate,
  formatRequirementList,
  formatResponsePromise,
  formatServiceMenu,
  formatTimeLeft,
} from './text-formatting.ts';

const MENU = formatServiceMenu(DEFAULT_SERVICES);

// Typed as every template name, so a new template without sample data does not compile.
const SAMPLES: { [N in TemplateName]: TemplateData<N> } = {
  acknowledgement: {
    nama_kantor: 'Disdukcapil Kota Depok',
    nomor_tiket: 'DPK-2026-000123',
    janji_waktu: '3x24 jam',
  },
  out_of_hours: {
    nama_kantor: 'Disdukcapil Kota Depok',
    nomor_tiket: 'DPK-2026-000124',
    jadwal_buka: 'Senin, 08.00 WIB',
  },
  offline_service: {
    nama_layanan: 'Perekaman KTP-el',
    nama_kantor: 'Disdukcapil Kota Depok',
    tanggal_buka_kembali: 'Senin, 2 Maret 2026',
  },
  service_menu: { nama_kantor: 'Disdukcapil Kota Depok', daftar_layanan: MENU },
  requirements: {
    nama_layanan: 'Akta Kelahiran',
    daftar_persyaratan: formatRequirementList(DEFAULT_SERVICES[3]!.requirements),
  },
  requirements_choose_service: { daftar_layanan: MENU },
  service_set: { nama_layanan: 'Kartu Keluarga (KK)' },
  complaint_opened: {
    nomor_pengaduan: 'ADU-2026-000007',
    nomor_tiket: 'DPK-2026-000123',
    batas_waktu: 'Kamis, 8 Januari 2026',
  },
  complaint_verified: {
    nomor_pengaduan: 'ADU-2026-000007',
    batas_waktu: 'Kamis, 15 Januari 2026',
    keterangan: null,
  },
  complaint_in_follow_up: {
    nomor_pengaduan: 'ADU-2026-000007',
    batas_waktu: 'Senin, 2 Februari 2026',
    keterangan: 'Berkas diteruskan ke bidang pencatatan sipil.',
  },
  complaint_resolved: { nomor_pengaduan: 'ADU-2026-000007', keterangan: 'Akta sudah dapat diunduh.' },
  complaint_rejected: {
    nomor_pengaduan: 'ADU-2026-000007',
    alasan: 'Tiket sudah dibalas sebelum batas waktu.',
  },
  complaint_not_yet_due: {
    nomor_tiket: 'DPK-2026-000123',
    batas_waktu: 'Kamis, 8 Januari 2026, 10.15 WIB',
    sisa_waktu: formatTimeLeft(20 * 3_600_000),
  },
  complaint_exists: {
    nomor_pengaduan: 'ADU-2026-000007',
    nomor_tiket: 'DPK-2026-000123',
    status_pengaduan: complaintStatusPhrase('in_follow_up'),
    batas_waktu: 'Senin, 2 Februari 2026',
  },
  complaint_ticket_unknown: { contoh_perintah: 'ADUAN DPK-2026-000123' },
};

// What each text must tell the citizen.
const FACTS: { [N in TemplateName]: string[] } = {
  acknowledgement: ['DPK-2026-000123', 'paling lambat 3x24 jam', 'Disdukcapil Kota Depok'],
  out_of_hours: ['DPK-2026-000124', 'Layanan online dibuka kembali Senin, 08.00 WIB'],
  offline_service: ['Perekaman KTP-el', 'kehadiran Anda langsung', 'Senin, 2 Maret 2026'],
  service_menu: [
    '1. Cetak/Ganti KTP-el',
    '2. Perekaman KTP-el (datang langsung ke kantor)',
    '10. Layanan Lainnya',
  ],
  requirements: ['Persyaratan Akta Kelahiran', '- Surat keterangan lahir', '2 orang saksi', 'petugas'],
  requirements_choose_service: ['4. Akta Kelahiran'],
  service_set: ['Kartu Keluarga (KK)', 'SYARAT'],
  complaint_opened: ['ADU-2026-000007', 'DPK-2026-000123', 'paling lambat Kamis, 8 Januari 2026'],
  complaint_verified: ['ADU-2026-000007', 'sudah kami verifikasi', 'Kamis, 15 Januari 2026'],
  complaint_in_follow_up: [
    'ADU-2026-000007',
    'sedang kami tindak lanjuti',
    'Senin, 2 Februari 2026',
    'Berkas diteruskan',
  ],
  complaint_resolved: ['ADU-2026-000007', 'selesai', 'Akta sudah dapat diunduh.'],
  complaint_rejected: ['ADU-2026-000007', 'Alasan: Tiket sudah dibalas sebelum batas waktu.'],
  complaint_not_yet_due: ['DPK-2026-000123', 'tinggal 20 jam lagi', '10.15 WIB'],
  complaint_exists: ['ADU-2026-000007', 'DPK-2026-000123', 'sedang ditindaklanjuti'],
  complaint_ticket_unknown: ['ADUAN DPK-2026-000123'],
};

describe('citizen texts', () => {
  it.each(TEMPLATE_NAMES)('renders %s: short, complete, with its facts', (name) => {
    const text = renderTemplate(name, SAMPLES[name] as TemplateData<typeof name>);
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(/\{[^}]*\}/);
    expect(text.length).toBeLessThanOrEqual(1000);
    for (const fact of FACTS[name]) expect(text).toContain(fact);
  });

  it.each(TEMPLATE_NAMES)('%s: the built-in text passes the checks an override must pass', (name) => {
    expect(templateOverrideProblems(name, CITIZEN_TEXTS[name].text)).toEqual([]);
    const used = [...CITIZEN_TEXTS[name].text.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1]);
    expect(new Set(used)).toEqual(new Set(Object.keys(CITIZEN_TEXTS[name].placeholders)));
  });

  it('fits the requirements of every service, and the menu, in one short message', () => {
    for (const service of DEFAULT_SERVICES) {
      const text = renderTemplate('requirements', {
        nama_layanan: service.name,
        daftar_persyaratan: formatRequirementList(service.requirements),
      });
      expect(text.length).toBeLessThanOrEqual(1000);
    }
    expect(formatRequirementList([])).toBe('Petugas kami akan menjelaskan persyaratannya.');
  });

  it('leaves out a line whose value is null', () => {
    const text = renderTemplate('offline_service', {
      ...SAMPLES.offline_service,
      tanggal_buka_kembali: null,
    });
    expect(text).not.toContain('dibuka kembali');
    expect(text).toContain('Perekaman KTP-el');
    expect(renderTemplate('complaint_verified', SAMPLES.complaint_verified)).not.toContain('Keterangan');
  });

  it("uses an admin's override, and the built-in text when the override is broken", () => {
    const overrides = { service_set: 'Siap, layanan {nama_layanan} kami catat.', acknowledgement: 'Halo!' };
    expect(renderTemplate('service_set', SAMPLES.service_set, overrides)).toBe(
      'Siap, layanan Kartu Keluarga (KK) kami catat.',
    );
    expect(renderTemplate('acknowledgement', SAMPLES.acknowledgement, overrides)).toContain(
      'DPK-2026-000123',
    );
  });

  it('throws when data for a placeholder is missing', () => {
    const incomplete = { nama_kantor: 'Disdukcapil' } as unknown as TemplateData<'acknowledgement'>;
    expect(() => renderTemplate('acknowledgement', incomplete)).toThrow(TemplateDataError);
  });

  it('does not substitute inside the values it inserts', () => {
    expect(renderTemplate('service_set', { nama_layanan: '{nomor_tiket}' })).toContain('{nomor_tiket}');
  });

  it('keeps acknowledgementText working, with the promise the policy makes', () => {
    const text = acknowledgementText({
      officeName: 'Disdukcapil Kota Depok',
      ticketNumber: 'DPK-2026-000001',
    });
    expect(text).toBe(
      [
        'Terima kasih, pesan Anda sudah kami terima di layanan online Disdukcapil Kota Depok.',
        'Nomor tiket Anda: DPK-2026-000001.',
        'Petugas kami akan membalas paling lambat 3x24 jam. Mohon simpan nomor tiket ini.',
      ].join('\n'),
    );
    expect(
      acknowledgementText({
        officeName: 'X',
        ticketNumber: 'DPK-2026-000001',
        promise: formatResponsePromise('PT48H'),
      }),
    ).toContain('paling lambat 2x24 jam');
  });

  it('names the text for every complaint stage after received', () => {
    expect(Object.values(COMPLAINT_STAGE_TEMPLATES).every((name) => TEMPLATE_NAMES.includes(name))).toBe(
      true,
    );
  });
});

describe('text formatting', () => {
  it.each([
    ['2026-03-02', 'Senin, 2 Maret 2026'],
    ['2026-08-17', 'Senin, 17 Agustus 2026'],
    ['2027-01-03', 'Minggu, 3 Januari 2027'],
    ['2028-02-29', 'Selasa, 29 Februari 2028'],
  ])('formats %s as %s', (date, text) => {
    expect(formatIndonesianDate(date)).toBe(text);
  });

  it('refuses a date that does not exist', () => {
    expect(() => formatIndonesianDate('2026-02-30')).toThrow();
  });

  it.each([
    [30_000, 'kurang dari 1 menit'],
    [40 * 60_000, '40 menit'],
    [20 * 3_600_000 + 59 * 60_000, '20 jam'],
    [24 * 3_600_000, '1 hari'],
    [53 * 3_600_000, '2 hari 5 jam'],
  ])('time left %d ms reads %s', (ms, text) => {
    expect(formatTimeLeft(ms)).toBe(text);
  });

  it.each([
    ['PT72H', '3x24 jam'],
    ['P3D', '3x24 jam'],
    ['PT48H', '2x24 jam'],
    ['PT36H', '36 jam'],
    ['PT90M', '90 menit'],
    ['PT2S', '2 detik'],
    ['not a duration', '3x24 jam'],
  ])('promise %s reads %s', (duration, text) => {
    expect(formatResponsePromise(duration)).toBe(text);
  });
});
