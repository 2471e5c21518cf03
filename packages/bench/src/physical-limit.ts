// The physical limit: the rows the pipeline writes for each inbound message, written by hand-written
// SQL with `pg`, one round trip per transaction, at a given batch size (messages per transaction).
//
// What the inbound pipeline writes for the benchmark's messages (inbound-ingest.ts; manual assignment,
// so no assignment turn), checked against inbound-batch-store.ts:
// - a citizen's first message: Contact, ContactIdentity, TicketCounter (+ k), Ticket, Event
//   ticket.created, the inbound Message + Event message.created, the acknowledgement Message
//   (outbound, automated, queued) + Event message.created + its delivery job;
// - a follow-up on the open ticket: the inbound Message + Event message.created, and an UPDATE of the
//   ticket's lastMessageAt / lastInboundAt.
// The limit writes exactly those rows (without the reads: dedupe check, contact lock, ticket lookup).
// The delivery job is a pg-boss job row (pgboss.job, the acknowledgement's queue), as the pipeline writes it.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export type LimitFigures = {
  batch: number;
  messages: number;
  firstMessages: number;
  seconds: number;
  perSecond: number;
};

const q = (value: string) => `'${value.replaceAll("'", "''")}'`;
const ts = (at: Date) => q(at.toISOString());

type Citizen = { contactId: string; ticketId: string; number: string };

function batchSql(
  messages: { i: number; citizen: number }[],
  citizens: Map<number, Citizen>,
  run: string,
  sequence: { value: number },
): string {
  const now = new Date();
  const contacts: string[] = [];
  const identities: string[] = [];
  const tickets: string[] = [];
  const rows: string[] = [];
  const events: string[] = [];
  const jobs: string[] = [];
  const touched = new Set<string>();
  for (const { i, citizen } of messages) {
    let known = citizens.get(citizen);
    if (!known) {
      sequence.value += 1;
      known = {
        contactId: randomUUID(),
        ticketId: randomUUID(),
        number: `LIM-${run}-${String(sequence.value).padStart(7, '0')}`,
      };
      citizens.set(citizen, known);
      contacts.push(`(${q(known.contactId)}, ${q(`Warga ${citizen}`)}, ${ts(now)})`);
      identities.push(`(${q(randomUUID())}, ${q(known.contactId)}, 'telegram', ${q(`${run}:${citizen}`)})`);
      const due = new Date(now.getTime() + 72 * 3_600_000);
      const warn = new Date(now.getTime() + 54 * 3_600_000);
      tickets.push(
        `(${q(known.ticketId)}, ${q(known.number)}, 'telegram', ${q(String(citizen))}, ${q(known.contactId)}, 'AKTA_KELAHIRAN', 'AKTA_KELAHIRAN', ${ts(due)}, ${ts(warn)}, ${ts(now)}, ${ts(now)}, ${ts(now)}, ${ts(now)})`,
      );
      events.push(
        `('ticket.created', ${q(known.ticketId)}, ${q(JSON.stringify({ ticket: { id: known.ticketId, number: known.number, channel: 'telegram', status: 'open', service: 'AKTA_KELAHIRAN', priority: 'normal', assigneeId: null } }))})`,
      );
      const ackId = randomUUID();
      rows.push(
        `(${q(ackId)}, ${q(known.ticketId)}, 'outbound', ${q('Terima kasih, pesan Anda sudah kami terima di layanan online Dukcapil.')}, 'telegram', NULL, true, 'queued', ${ts(now)})`,
      );
      events.push(messageEvent(ackId, known.ticketId, 'outbound', true));
      jobs.push(
        `('delivery-telegram', ${q(JSON.stringify({ messageId: ackId, attempts: 0 }))}, 5, 10, true, interval '300 seconds', now() + interval '365 days', 'delivery-dead', 'standard')`,
      );
    } else {
      touched.add(known.ticketId);
    }
    const id = randomUUID();
    rows.push(
      `(${q(id)}, ${q(known.ticketId)}, 'inbound', ${q('mau buat akta kelahiran')}, 'telegram', ${q(`${run}:${citizen}:${i}`)}, false, NULL, ${ts(now)})`,
    );
    events.push(messageEvent(id, known.ticketId, 'inbound', false));
  }
  const sql = ['BEGIN;'];
  if (contacts.length) {
    sql.push(`INSERT INTO "Contact" (id, "displayName", "updatedAt") VALUES ${contacts.join(',')};`);
    sql.push(
      `INSERT INTO "ContactIdentity" (id, "contactId", channel, "externalUserId") VALUES ${identities.join(',')};`,
    );
    sql.push(
      `INSERT INTO "TicketCounter" (year, value) VALUES (2026, ${contacts.length}) ON CONFLICT (year) DO UPDATE SET value = "TicketCounter".value + ${contacts.length};`,
    );
    sql.push(
      `INSERT INTO "Ticket" (id, number, channel, "threadId", "contactId", service, "serviceDetected", "firstResponseDueAt", "slaWarnAt", "createdAt", "updatedAt", "lastMessageAt", "lastInboundAt") VALUES ${tickets.join(',')};`,
    );
  }
  sql.push(
    `INSERT INTO "Message" (id, "ticketId", direction, text, channel, "externalId", automated, "deliveryStatus", "createdAt") VALUES ${rows.join(',')};`,
  );
  if (jobs.length) sql.push(deliveryJobsSql(jobs));
  sql.push(`INSERT INTO "Event" (type, "ticketId", payload) VALUES ${events.join(',')};`);
  if (touched.size) {
    sql.push(
      `UPDATE "Ticket" SET "lastMessageAt" = ${ts(now)}, "lastInboundAt" = ${ts(now)}, "updatedAt" = ${ts(now)} WHERE id IN (${[...touched].map(q).join(',')});`,
    );
  }
  sql.push('COMMIT;');
  return sql.join('\n');
}

function deliveryJobsSql(jobs: string[]): string {
  return `INSERT INTO pgboss.job (name, data, retry_limit, retry_delay, retry_backoff, expire_in, keep_until, dead_letter, policy) VALUES ${jobs.join(',')};`;
}

function messageEvent(id: string, ticketId: string, direction: string, automated: boolean): string {
  const payload = {
    message: {
      id,
      ticketId,
      channel: 'telegram',
      direction,
      automated,
      deliveryStatus: automated ? 'queued' : null,
      attachments: 0,
    },
  };
  return `('message.created', ${q(ticketId)}, ${q(JSON.stringify(payload))})`;
}

/**
 * `messages` messages from `citizens` citizens (message i from citizen i % citizens, as the pipeline
 * benchmark sends them), `batch` per transaction, one connection. The first `citizens` messages open
 * a contact and a ticket; the rest are follow-ups.
 */
export async function measurePhysicalLimit(
  pool: pg.Pool,
  options: { messages: number; citizens: number; batch: number; run: string },
): Promise<LimitFigures> {
  const client = await pool.connect();
  try {
    const citizens = new Map<number, Citizen>();
    const sequence = { value: 0 };
    const started = performance.now();
    for (let from = 0; from < options.messages; from += options.batch) {
      const messages = [];
      for (let i = from; i < Math.min(from + options.batch, options.messages); i += 1)
        messages.push({ i, citizen: i % options.citizens });
      await client.query(batchSql(messages, citizens, options.run, sequence));
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      batch: options.batch,
      messages: options.messages,
      firstMessages: Math.min(options.citizens, options.messages),
      seconds,
      perSecond: options.messages / seconds,
    };
  } finally {
    client.release();
  }
}
