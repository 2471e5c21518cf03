// Prisma's `contains` puts the value inside a LIKE/ILIKE pattern without escaping it: a search for
// "%" or "_" would match everything. PostgreSQL's default LIKE escape character is the backslash.

/** `text` as a literal inside a LIKE pattern: `\`, `%` and `_` escaped. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** A case-insensitive "contains" filter for user input, wildcards taken literally. */
export function containsText(text: string) {
  return { contains: escapeLike(text), mode: 'insensitive' } as const;
}
