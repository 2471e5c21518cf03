// Every text a citizen receives from Loket itself, in one place. Polite, short Indonesian that an
// elderly reader can take in on a small phone screen: one fact a line, no jargon, the ticket or
// complaint number spelled out. Admins may override any text in the office policy (`templates`).
// Lists, dates and durations inside the texts are worded by text-formatting.ts.
//
// Placeholders are `{snake_case}` Indonesian words, so an admin editing a text reads what they mean.
// Each placeholder has a rule:
// - 'required': an override must keep it (the number or date the citizen needs);
// - 'optional': an override may leave it out;
// - 'nullable': the value may be null, and then its whole line is left out (an optional fact, such
//   as a resume date or an officer's note, without conditionals in the template language).

export type PlaceholderRule = 'required' | 'optional' | 'nullable';

type TemplateSpec = {
  readonly text: string;
  readonly placeholders: Readonly<Record<string, PlaceholderRule>>;
};

function lines(...parts: string[]): string {
  return parts.join('\n');
}

export const CITIZEN_TEXTS = {
  /** A new ticket inside service hours. */
  acknowledgement: {
    placeholders: { nama_kantor: 'optional', nomor_tiket: 'required', janji_waktu: 'required' },
    text: lines(
      'Terima kasih, pesan Anda sudah kami terima di layanan online {nama_kantor}.',
      'Nomor tiket Anda: {nomor_tiket}.',
      'Petugas kami akan membalas paling lambat {janji_waktu}. Mohon simpan nomor tiket ini.',
    ),
  },
  /** A message outside service hours; once per ticket per closed period. */
  out_of_hours: {
    placeholders: { nama_kantor: 'optional', nomor_tiket: 'required', jadwal_buka: 'required' },
    text: lines(
      'Terima kasih, pesan Anda sudah kami terima di layanan online {nama_kantor}.',
      'Nomor tiket Anda: {nomor_tiket}.',
      'Saat ini di luar jam layanan. Layanan online dibuka kembali {jadwal_buka}.',
      'Petugas kami akan membalas setelah layanan dibuka.',
    ),
  },
  /** A request for a service that is `online: false` (e-KTP recording by default). */
  offline_service: {
    placeholders: { nama_layanan: 'required', nama_kantor: 'optional', tanggal_buka_kembali: 'nullable' },
    text: lines(
      'Mohon maaf, layanan {nama_layanan} tidak dapat dilakukan secara online.',
      'Layanan ini memerlukan kehadiran Anda langsung di kantor {nama_kantor}.',
      'Layanan ini dibuka kembali mulai {tanggal_buka_kembali}.',
      'Pesan Anda tetap tercatat, dan petugas kami akan membalas.',
    ),
  },
  /** A message with nothing but a greeting, "menu" or "info". */
  service_menu: {
    placeholders: { nama_kantor: 'optional', daftar_layanan: 'required' },
    text: lines(
      'Selamat datang di layanan online {nama_kantor}.',
      'Silakan balas dengan angka layanan yang Anda perlukan:',
      '{daftar_layanan}',
      'Atau tuliskan langsung pertanyaan Anda.',
    ),
  },
  /** The persyaratan of a known service, sent at any hour. */
  requirements: {
    placeholders: { nama_layanan: 'required', daftar_persyaratan: 'required' },
    text: lines(
      'Persyaratan {nama_layanan}:',
      '{daftar_persyaratan}',
      'Pesan Anda tetap akan dibalas oleh petugas kami.',
    ),
  },
  /** A question about requirements when the service is not known yet. */
  requirements_choose_service: {
    placeholders: { daftar_layanan: 'required' },
    text: lines(
      'Persyaratan layanan mana yang Anda perlukan? Silakan balas dengan angka:',
      '{daftar_layanan}',
    ),
  },
  /** The citizen answered the menu with a number. */
  service_set: {
    placeholders: { nama_layanan: 'required' },
    text: lines(
      'Baik, layanan yang Anda pilih: {nama_layanan}.',
      'Silakan tuliskan keperluan Anda. Ketik SYARAT untuk melihat persyaratannya.',
    ),
  },
  /** A pengaduan was opened (on breach, on the citizen's keyword, or by a supervisor). */
  complaint_opened: {
    placeholders: {
      nomor_pengaduan: 'required',
      nomor_tiket: 'optional',
      batas_waktu: 'required',
    },
    text: lines(
      'Mohon maaf atas ketidaknyamanan ini.',
      'Pengaduan Anda sudah kami catat dengan nomor {nomor_pengaduan} (tiket {nomor_tiket}).',
      'Supervisor kami akan memeriksanya paling lambat {batas_waktu}.',
      'Setiap perkembangan akan kami kabarkan melalui percakapan ini.',
    ),
  },
  complaint_verified: {
    placeholders: { nomor_pengaduan: 'required', batas_waktu: 'required', keterangan: 'nullable' },
    text: lines(
      'Pengaduan {nomor_pengaduan} sudah kami verifikasi.',
      'Rencana tindak lanjut akan kami sampaikan paling lambat {batas_waktu}.',
      'Keterangan: {keterangan}',
    ),
  },
  complaint_in_follow_up: {
    placeholders: { nomor_pengaduan: 'required', batas_waktu: 'required', keterangan: 'nullable' },
    text: lines(
      'Pengaduan {nomor_pengaduan} sedang kami tindak lanjuti.',
      'Target selesai paling lambat {batas_waktu}.',
      'Keterangan: {keterangan}',
    ),
  },
  complaint_resolved: {
    placeholders: { nomor_pengaduan: 'required', keterangan: 'nullable' },
    text: lines(
      'Pengaduan {nomor_pengaduan} sudah selesai kami tangani.',
      'Keterangan: {keterangan}',
      'Terima kasih atas kesabaran Anda.',
    ),
  },
  complaint_rejected: {
    placeholders: { nomor_pengaduan: 'required', alasan: 'required' },
    text: lines(
      'Mohon maaf, pengaduan {nomor_pengaduan} tidak dapat kami tindak lanjuti.',
      'Alasan: {alasan}',
      'Bila ada pertanyaan, silakan balas pesan ini.',
    ),
  },
  /** ADUAN before the promise is broken: how long is left. */
  complaint_not_yet_due: {
    placeholders: { nomor_tiket: 'optional', batas_waktu: 'optional', sisa_waktu: 'required' },
    text: lines(
      'Tiket {nomor_tiket} masih dalam batas waktu layanan.',
      'Petugas kami akan membalas paling lambat {batas_waktu}, tinggal {sisa_waktu} lagi.',
      'Bila sampai saat itu belum ada balasan, pengaduan akan kami buat secara otomatis.',
    ),
  },
  /** ADUAN when the ticket already has a pengaduan. */
  complaint_exists: {
    placeholders: {
      nomor_pengaduan: 'required',
      nomor_tiket: 'optional',
      status_pengaduan: 'required',
      batas_waktu: 'nullable',
    },
    text: lines(
      'Pengaduan untuk tiket {nomor_tiket} sudah tercatat dengan nomor {nomor_pengaduan}.',
      'Status saat ini: {status_pengaduan}.',
      'Tahap berikutnya paling lambat {batas_waktu}.',
      'Setiap perkembangan akan kami kabarkan melalui percakapan ini.',
    ),
  },
  /** ADUAN with no ticket of this citizen to attach it to (none open, or a number not theirs). */
  complaint_ticket_unknown: {
    placeholders: { contoh_perintah: 'optional' },
    text: lines(
      'Mohon maaf, kami belum menemukan tiket untuk pengaduan ini.',
      'Kirim ADUAN diikuti nomor tiket Anda, misalnya: {contoh_perintah}',
    ),
  },
} as const satisfies Record<string, TemplateSpec>;

type Texts = typeof CITIZEN_TEXTS;

export type TemplateName = keyof Texts;

export const TEMPLATE_NAMES = Object.keys(CITIZEN_TEXTS) as TemplateName[];

/** The values a template needs: a string for each placeholder, or null where the rule is 'nullable'. */
export type TemplateData<N extends TemplateName> = {
  [K in keyof Texts[N]['placeholders']]: Texts[N]['placeholders'][K] extends 'nullable'
    ? string | null
    : string;
};

/** Admins' replacements for some texts, as the office policy holds them. */
export type TemplateOverrides = Partial<Record<TemplateName, string>>;

export function isTemplateName(value: string): value is TemplateName {
  return Object.hasOwn(CITIZEN_TEXTS, value);
}

export function placeholderRules(name: TemplateName): Readonly<Record<string, PlaceholderRule>> {
  return CITIZEN_TEXTS[name].placeholders;
}

/** Words inside lists and dates that the templates above embed. */
export const TEXT_PARTS = {
  /** After a service in the menu that needs a visit (e-KTP recording). */
  inPersonOnly: '(datang langsung ke kantor)',
  /** In place of an empty requirements list. */
  requirementsExplainedByOfficer: 'Petugas kami akan menjelaskan persyaratannya.',
  /** The promise of the default policy (PT72H), as citizens know it from the office's posters. */
  defaultPromise: '3x24 jam',
  weekdays: ['Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu', 'Minggu'],
  months: [
    'Januari',
    'Februari',
    'Maret',
    'April',
    'Mei',
    'Juni',
    'Juli',
    'Agustus',
    'September',
    'Oktober',
    'November',
    'Desember',
  ],
  units: { day: 'hari', hour: 'jam', minute: 'menit', second: 'detik' },
  complaintStatus: {
    received: 'diterima, menunggu verifikasi',
    verified: 'sudah diverifikasi, menunggu rencana tindak lanjut',
    in_follow_up: 'sedang ditindaklanjuti',
    resolved: 'selesai',
    rejected: 'tidak dapat ditindaklanjuti',
  },
} as const;

/** Longest text an admin may set: a screen or two on a small phone, well under every channel's limit. */
export const MAX_TEMPLATE_LENGTH = 1000;

// Strict form that rendering substitutes, and a loose one that catches near-misses in overrides
// ("{Nomor_Tiket}", "{ nomor_tiket }") which would otherwise reach citizens as literal braces.
const PLACEHOLDER = /\{([a-z_]+)\}/g;
const PLACEHOLDER_LIKE = /\{[^{}\n]{0,40}\}/g;

/** Why an admin's text cannot replace template `name`; empty when it can. */
export function templateOverrideProblems(name: TemplateName, text: string): string[] {
  const problems: string[] = [];
  if (text.trim() === '') problems.push('must not be empty');
  if (text.length > MAX_TEMPLATE_LENGTH) problems.push(`must be at most ${MAX_TEMPLATE_LENGTH} characters`);
  const rules = placeholderRules(name);
  const allowed = Object.keys(rules).map((key) => `{${key}}`);
  for (const found of new Set(text.match(PLACEHOLDER_LIKE) ?? [])) {
    if (!allowed.includes(found))
      problems.push(`unknown placeholder ${found}; allowed: ${allowed.join(', ')}`);
  }
  for (const [key, rule] of Object.entries(rules)) {
    if (rule === 'required' && !text.includes(`{${key}}`)) problems.push(`must keep {${key}}`);
  }
  return problems;
}

export class TemplateDataError extends Error {
  override readonly name = 'TemplateDataError';
}

/**
 * Fills `{placeholder}`s with `data`. An admin's override is used when it passes
 * `templateOverrideProblems`; one that does not (edited in the database by hand, or written for an
 * older version) falls back to the built-in text, so a citizen never gets a broken message.
 * A line whose placeholder value is null is left out. A placeholder with no value at all is a
 * programming error and throws: the types prevent it, and the template test renders every text.
 */
export function renderTemplate<N extends TemplateName>(
  name: N,
  data: TemplateData<N>,
  overrides?: TemplateOverrides,
): string {
  const override = overrides?.[name];
  const usable = override !== undefined && templateOverrideProblems(name, override).length === 0;
  const source: string = usable ? override : CITIZEN_TEXTS[name].text;
  const values: Readonly<Record<string, unknown>> = data;
  const kept: string[] = [];
  for (const line of source.split('\n')) {
    let leaveOut = false;
    const filled = line.replace(PLACEHOLDER, (_match, key: string) => {
      const value = Object.hasOwn(values, key) ? values[key] : undefined;
      if (value === null) {
        leaveOut = true;
        return '';
      }
      if (typeof value !== 'string') throw new TemplateDataError(`template ${name} needs {${key}}`);
      return value;
    });
    if (!leaveOut) kept.push(filled);
  }
  return kept.join('\n').trim();
}

export type AcknowledgementData = {
  officeName: string;
  ticketNumber: string;
  /** The promise as the citizen reads it ("3x24 jam"); see `formatResponsePromise`. */
  promise?: string;
};

export function acknowledgementText(
  { officeName, ticketNumber, promise }: AcknowledgementData,
  overrides?: TemplateOverrides,
): string {
  return renderTemplate(
    'acknowledgement',
    { nama_kantor: officeName, nomor_tiket: ticketNumber, janji_waktu: promise ?? TEXT_PARTS.defaultPromise },
    overrides,
  );
}
