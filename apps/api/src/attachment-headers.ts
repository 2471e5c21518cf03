// How a citizen's file is handed to a browser. The MIME type came from a chat platform (or the
// citizen's phone) and is not trusted: a stored `text/html` or `image/svg+xml` served as such would
// run in the API's origin, with the officer's session. So only passive types keep their type, and
// only images, PDFs, audio and video are shown inline; everything else is a download.

const MIME = /^([a-z0-9][a-z0-9!#$&^_.+-]*)\/([a-z0-9][a-z0-9!#$&^_.+-]*)$/;
const INLINE =
  /^(image\/(png|jpeg|gif|webp|bmp|avif)|application\/pdf|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+)$/;
// Types a browser may render as a document or run as script, whatever the disposition says.
// (`vnd.openxmlformats-…` is a Word document, not XML a browser renders.)
const ACTIVE_SUBTYPE = /html|script|xsl|^svg|^xml|\+xml$/;
const ACTIVE_TOP_LEVEL = new Set(['multipart', 'message']);
const ACTIVE_EXACT = new Set([
  'application/x-shockwave-flash',
  'application/futuresplash',
  'application/wasm',
]);

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
};

export type AttachmentHeaders = {
  'Content-Type': string;
  'Content-Disposition': string;
  'X-Content-Type-Options': 'nosniff';
  'Cache-Control': 'private, no-store';
};

/** The response headers for a stored file: its type, if safe, and how a browser should treat it. */
export function attachmentHeaders(attachment: {
  id: string;
  mime: string;
  name: string | null;
}): AttachmentHeaders {
  const declared = (attachment.mime.split(';')[0] ?? '').trim().toLowerCase();
  const passive = isPassive(declared);
  const inline = passive && INLINE.test(declared);
  const fileName = safeFileName(attachment.name) ?? defaultFileName(attachment.id, declared);
  return {
    'Content-Type': passive ? declared : 'application/octet-stream',
    'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', fileName),
    'X-Content-Type-Options': 'nosniff',
    // Citizens' documents must not stay in shared caches or the browser's disk cache.
    'Cache-Control': 'private, no-store',
  };
}

function isPassive(mime: string): boolean {
  const match = MIME.exec(mime);
  if (!match) return false;
  const [, top = '', sub = ''] = match;
  if (ACTIVE_TOP_LEVEL.has(top) || ACTIVE_EXACT.has(mime) || ACTIVE_SUBTYPE.test(sub)) return false;
  // Of the text types only plain text and CSV: the others (text/html, text/xml, text/css…) are active.
  return top !== 'text' || sub === 'plain' || sub === 'csv';
}

/** The name without paths, control characters or quotes; null when nothing usable is left. */
export function safeFileName(name: string | null): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  const cleaned = [...base]
    .filter((char) => {
      const code = char.codePointAt(0) ?? 0;
      return code >= 0x20 && code !== 0x7f && !(code >= 0x80 && code < 0xa0) && char !== '"';
    })
    .join('')
    .trim()
    .replace(/^\.+/, '');
  return cleaned ? [...cleaned].slice(0, 150).join('') : null;
}

function defaultFileName(id: string, mime: string): string {
  const extension = EXTENSIONS[mime];
  const stem = `lampiran-${id.replace(/[^A-Za-z0-9-]/g, '').slice(0, 36) || 'file'}`;
  return extension ? `${stem}.${extension}` : stem;
}

/**
 * RFC 6266: an ASCII `filename` for old clients, and the real name as `filename*` (RFC 8187,
 * UTF-8, percent-encoded) for the rest.
 */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
