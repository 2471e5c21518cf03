// Opaque list cursors: the sort key of the last item of a page, base64url-encoded so clients treat
// it as a token rather than something to build.

export type PageKey = { at: Date; id: string };

export function encodeCursor(key: PageKey): string {
  return Buffer.from(`${key.at.toISOString()}|${key.id}`, 'utf8').toString('base64url');
}

/**
 * The key inside a cursor, or null when the cursor is not one of ours. A malformed cursor reads as
 * "from the start" rather than an error: the API validates what it needs to, and a stale or edited
 * cursor should never crash a list.
 */
export function decodeCursor(cursor: string | undefined): PageKey | null {
  if (!cursor) return null;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = decoded.indexOf('|');
  if (separator < 0) return null;
  const at = new Date(decoded.slice(0, separator));
  const id = decoded.slice(separator + 1);
  if (Number.isNaN(at.getTime()) || !id || id.includes('\u0000')) return null;
  return { at, id };
}

/** Cuts a page fetched with one extra row: the extra row only says there is a next page. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => PageKey) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
