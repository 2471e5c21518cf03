// What the citizen is told about their pengaduan, rendered through the templates module so that the
// admins' overrides apply.
import { renderTemplate, type TemplateOverrides } from '../templates/citizen-texts.ts';
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

export function complaintNoticeText(notice: ComplaintNotice, overrides?: TemplateOverrides): string {
  if (notice.kind === 'opened') {
    return renderTemplate(
      'complaint_opened',
      {
        nomor_pengaduan: notice.complaintNumber,
        nomor_tiket: notice.ticketNumber,
        batas_waktu: notice.dueText,
      },
      overrides,
    );
  }
  const { complaintNumber: nomor_pengaduan, note, dueText } = notice;
  switch (notice.status) {
    case 'verified':
      return renderTemplate(
        'complaint_verified',
        { nomor_pengaduan, batas_waktu: dueText ?? '-', keterangan: note },
        overrides,
      );
    case 'in_follow_up':
      return renderTemplate(
        'complaint_in_follow_up',
        { nomor_pengaduan, batas_waktu: dueText ?? '-', keterangan: note },
        overrides,
      );
    case 'resolved':
      return renderTemplate('complaint_resolved', { nomor_pengaduan, keterangan: note }, overrides);
    case 'rejected':
      return renderTemplate('complaint_rejected', { nomor_pengaduan, alasan: note ?? '-' }, overrides);
    case 'received':
      return renderTemplate(
        'complaint_opened',
        { nomor_pengaduan, nomor_tiket: '', batas_waktu: dueText ?? '-' },
        overrides,
      );
  }
}
