// Inbound ingest through the real pipeline: core's receiveMessage over the Prisma repositories, one
// transaction per message (contact, ticket, message, dedupe, SLA, acknowledgement job), each stored
// before the next "ack". Beside it, the same number of one-row commits written by hand, as a floor.
import { DEFAULT_OFFICE_POLICY, type ReceivedMessage, receiveMessage, systemClock } from '@loket/core';
import { createRepositories, type PrismaClient } from '@loket/db';

export type IngestFigures = { messages: number; concurrency: number; seconds: number; perSecond: number };

function citizenMessage(i: number, citizens: number): ReceivedMessage {
  const citizen = i % citizens;
  return {
    channel: 'telegram',
    externalMessageId: `${citizen}:${i}`,
    externalUserId: String(citizen),
    externalThreadId: String(citizen),
    displayName: `Warga ${citizen}`,
    sentAt: new Date(),
    text: i % 3 === 0 ? 'mau buat akta kelahiran' : 'halo, mohon info syarat KK',
    attachments: [],
  };
}

export async function measureIngest(
  prisma: PrismaClient,
  options: { messages: number; concurrency: number; citizens: number; offset: number },
): Promise<IngestFigures> {
  const store = createRepositories(prisma).inbox;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.messages) {
        const i = options.offset + next;
        next += 1;
        await receiveMessage({
          store,
          clock: systemClock,
          policy: DEFAULT_OFFICE_POLICY,
          message: citizenMessage(i, options.citizens),
        });
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...options, seconds, perSecond: options.messages / seconds };
}

/** The floor: one hand-written INSERT per commit into a scratch table, the same count as messages. */
export async function measureSingleRowCommits(prisma: PrismaClient, rows: number): Promise<IngestFigures> {
  await prisma.$executeRawUnsafe(
    'CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, external_id text UNIQUE, body text, at timestamptz)',
  );
  const started = performance.now();
  for (let i = 0; i < rows; i += 1) {
    await prisma.$executeRaw`INSERT INTO bench_floor (external_id, body, at) VALUES (${`floor:${i}:${started}`}, ${'halo'}, now())`;
  }
  const seconds = (performance.now() - started) / 1000;
  return { messages: rows, concurrency: 1, seconds, perSecond: rows / seconds };
}
