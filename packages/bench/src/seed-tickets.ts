// Seeds open tickets (and their contacts) with INSERT … SELECT generate_series: a million in minutes.
// Every ticket is open, unanswered, and due in 30 days; the SLA cases move some of them into the past.
import type pg from 'pg';

export const SEED_PREFIX = 'BEN';

/** `BEN-00000042`: numbers sort like their sequence, so a range of them is an index range scan. */
export const seededNumber = (g: number) => `${SEED_PREFIX}-${String(g).padStart(8, '0')}`;

export async function seedTickets(
  pool: pg.Pool,
  tickets: number,
  onProgress?: (done: number) => void,
): Promise<{ seconds: number; contacts: number }> {
  const started = performance.now();
  const contacts = Math.max(1, Math.ceil(tickets / 4));
  const chunk = 200_000;
  for (let from = 1; from <= contacts; from += chunk) {
    const to = Math.min(from + chunk - 1, contacts);
    await pool.query(
      `INSERT INTO "Contact" (id, "displayName", "createdAt", "updatedAt")
       SELECT 'c' || g, 'Warga ' || g, now(), now() FROM generate_series($1::int, $2::int) AS g`,
      [from, to],
    );
  }
  for (let from = 1; from <= tickets; from += chunk) {
    const to = Math.min(from + chunk - 1, tickets);
    // Activity spread over the past ~11 days, one ticket a second; services vary.
    await pool.query(
      `INSERT INTO "Ticket" (id, number, status, channel, "threadId", "contactId", service, "serviceDetected",
         "firstResponseDueAt", "slaWarnAt", "createdAt", "updatedAt", "lastMessageAt", "lastInboundAt")
       SELECT gen_random_uuid()::text, '${SEED_PREFIX}-' || lpad(g::text, 8, '0'), 'open', 'telegram', g::text,
         'c' || (1 + g % $3::int),
         (ARRAY['AKTA_KELAHIRAN','KK','KTP_EL','KIA','LAINNYA'])[1 + g % 5],
         (ARRAY['AKTA_KELAHIRAN','KK','KTP_EL','KIA','LAINNYA'])[1 + g % 5],
         now() + interval '30 days', now() + interval '29 days',
         now() - g * interval '1 second', now(), now() - g * interval '1 second', now() - g * interval '1 second'
       FROM generate_series($1::int, $2::int) AS g`,
      [from, to, contacts],
    );
    onProgress?.(to);
  }
  await pool.query('ANALYZE "Ticket"');
  await pool.query('ANALYZE "Contact"');
  return { seconds: (performance.now() - started) / 1000, contacts };
}
