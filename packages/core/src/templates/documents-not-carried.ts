// What a channel that cannot carry files (Instagram, private API or Graph) says instead of them.

function quoted(names: string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/** What the citizen reads instead of the files: short, and where to get them. */
export function documentsNotCarriedNotice(names: string[]): string {
  return (
    `Mohon maaf, dokumen ${quoted(names)} tidak dapat dikirim lewat pesan Instagram. ` +
    'Silakan ambil di kantor, atau hubungi kami lewat WhatsApp atau Telegram agar dokumen dikirim ke sana.'
  );
}

/** What the officer reads on the message (its `error`), so they can send the files another way. */
export function documentsNotCarriedWarning(names: string[]): string {
  const subject = names.length === 1 ? `the file ${quoted(names)} was` : `the files ${quoted(names)} were`;
  return (
    `Instagram messages cannot carry documents: ${subject} not sent; the citizen got a text asking ` +
    'them to collect it at the office or ask for it on WhatsApp or Telegram.'
  );
}
