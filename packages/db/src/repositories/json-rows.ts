// Rows sent to PostgreSQL as one JSON text (read there by json_to_recordset): one parameter instead
// of an array per column.
//
// Strings are made well-formed first. A JavaScript string can hold a lone UTF-16 surrogate (a chat
// name or text cut by a careless client); JSON.stringify writes it as `\ud800`, which PostgreSQL's
// JSON refuses, failing the whole batch. Each lone surrogate becomes U+FFFD, as it would when the
// string is sent as text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

export function jsonRows(rows: readonly unknown[]): string {
  return JSON.stringify(rows, (_key, value) => (typeof value === 'string' ? wellFormed(value) : value));
}
