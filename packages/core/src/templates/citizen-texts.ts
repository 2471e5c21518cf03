// Every text a citizen receives from Loket itself. Polite, short Indonesian that reads well on a
// small phone screen. Admin overrides arrive with the SLA work (issue 4).

export type AcknowledgementData = { officeName: string; ticketNumber: string };

export function acknowledgementText({ officeName, ticketNumber }: AcknowledgementData): string {
  return [
    `Terima kasih, pesan Anda sudah kami terima di layanan online ${officeName}.`,
    `Nomor tiket Anda: ${ticketNumber}.`,
    'Petugas kami akan membalas paling lambat 3x24 jam. Mohon simpan nomor tiket ini.',
  ].join('\n');
}
