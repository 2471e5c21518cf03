// The floor for `GET /v1/tickets?limit=50`, measured beside it: the same bearer-token check, then the
// same page read by hand-written SQL on a raw `pg` pool (rows as arrays, no type parsing) and the
// same JSON items built by hand. No middleware, validation, repositories or domain objects. What it
// serves per second is about the most a page of 50 can give on this machine; the real API's figure
// over this one says how much the application's layers cost on top.
import type { Context } from 'hono';
import type pg from 'pg';

/** `2026-12-07 14:11:35.97` (timestamp text, UTC) as `2026-12-07T14:11:35.970Z`. */
function iso(text: string | null): string | null {
  if (text === null) return null;
  const fraction = text.length > 19 ? text.slice(20, 23).padEnd(3, '0') : '000';
  return `${text.slice(0, 10)}T${text.slice(11, 19)}.${fraction}Z`;
}

const PAGE_SQL = `
  SELECT t.id, t.number, t.status::text, t.channel, t.service, t.priority::text, t."contactId",
    c."displayName", t."assigneeId",
    CASE WHEN t."firstRespondedAt" IS NOT NULL THEN 'met'
      WHEN t."firstResponseDueAt" <= $1 THEN 'breached'
      WHEN t."slaWarnAt" <= $1 THEN 'warning' ELSE 'on_track' END,
    t."firstResponseDueAt", t."firstRespondedAt", t."createdAt", t."lastMessageAt"
  FROM "Ticket" t JOIN "Contact" c ON c.id = t."contactId"
  ORDER BY t."lastMessageAt" DESC, t.id DESC
  LIMIT $2`;

const asText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/** The handler after auth: one page of `limit` as the API's JSON shape. */
export async function floorPage(c: Context, pool: pg.Pool, limit: number): Promise<Response> {
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const result = await pool.query<string[]>({
    name: 'bench_ticket_page_floor',
    text: PAGE_SQL,
    values: [now, limit + 1],
    rowMode: 'array',
    types: asText,
  });
  const rows = result.rows.slice(0, limit);
  const items = rows.map((row) => ({
    id: row[0],
    number: row[1],
    status: row[2],
    channel: row[3],
    service: row[4],
    priority: row[5],
    contact: { id: row[6], displayName: row[7] },
    assigneeId: row[8] ?? null,
    slaState: row[9],
    firstResponseDueAt: iso(row[10] ?? null),
    firstRespondedAt: iso(row[11] ?? null),
    createdAt: iso(row[12] ?? null),
    lastMessageAt: iso(row[13] ?? null),
    replyWindowEndsAt: null,
  }));
  const last = rows.at(-1);
  const nextCursor = result.rows.length > limit && last ? `${last[13]}|${last[0]}` : null;
  return c.json({ items, nextCursor });
}
