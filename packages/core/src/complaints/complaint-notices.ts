// What the citizen is told about their pengaduan. Rendered through the templates module, so admins'
// overrides apply (see templates/).
import type { ComplaintStatus } from './complaint-stages.ts';

export type ComplaintNotice =
  | { kind: 'opened'; complaintNumber: string; ticketNumber: string; dueText: string }
  | {
      kind: 'stage';
      complaintNumber: string;
      status: ComplaintStatus;
      note: string | null;
      dueText: string | null;
    };

const STAGE_WORDS: Record<ComplaintStatus, string> = {
  received: 'sudah kami terima',
  verified: 'sudah diverifikasi dan sedang disiapkan tindak lanjutnya',
  in_follow_up: 'sedang ditindaklanjuti',
  resolved: 'sudah selesai ditangani',
  rejected: 'tidak dapat kami tindak lanjuti',
};

export function complaintNoticeText(notice: ComplaintNotice): string {
  if (notice.kind === 'opened') {
    return [
      `Mohon maaf, balasan untuk tiket ${notice.ticketNumber} melewati janji 3x24 jam kami.`,
      `Pengaduan Anda tercatat dengan nomor ${notice.complaintNumber} dan diteruskan ke supervisor.`,
      `Pengaduan akan diverifikasi paling lambat ${notice.dueText}.`,
    ].join('\n');
  }
  const lines = [`Pengaduan ${notice.complaintNumber} ${STAGE_WORDS[notice.status]}.`];
  if (notice.note) lines.push(`Keterangan: ${notice.note}`);
  if (notice.dueText) lines.push(`Tahap berikutnya paling lambat ${notice.dueText}.`);
  return lines.join('\n');
}
