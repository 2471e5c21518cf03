// Inbound ingest through the real pipeline: the gateway's inbound pipeline (what every adapter's
// onMessage awaits) over the Prisma repositories, with `inFlight` messages awaiting their ack at once,
// like a webhook burst or a getUpdates page. Messages that arrive while a commit is in flight are
// stored together (group commit); each handle() resolves only once its message is committed. Beside
// it, the same number of one-row commits written by hand, as a floor.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_OFFICE_POLICY, type InboundMessage, silentLogger, systemClock } from '@loket/core';
import { createRepositories, type PrismaClient } from '@loket/db';
import { createInboundPipeline, MediaStore } from '@loket/gateway';

export type IngestFigures = {
  messages: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  /** Transactions the group commit ran, and messages per transaction (mean and largest). */
  batches: number;
  meanBatch: number;
  largestBatch: number;
};

/**
 * Message i comes from citizen i % citizens, named with `run` so that each run starts with new
 * citizens: the first `citizens` messages open a contact and a ticket (and get the acknowledgement),
 * the rest are follow-ups that Loket does not answer, the rows physical-limit.ts writes.
 */
export function benchMessage(i: number, citizens: number, run: string): InboundMessage {
  const citizen = `${run}:${i % citizens}`;
  return {
    channel: 'telegram',
    externalMessageId: `${citizen}:${i}`,
    externalUserId: citizen,
    externalThreadId: citizen,
    displayName: `Warga ${i % citizens}`,
    sentAt: new Date(),
    text: 'mau buat akta kelahiran',
    attachments: [],
  };
}

export async function measureIngest(
  prisma: PrismaClient,
  options: { messages: number; concurrency: number; citizens: number; run: string; maxBatch?: number },
): Promise<IngestFigures> {
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'loket-bench-media-'));
  try {
    const pipeline = createInboundPipeline({
      store: createRepositories(prisma).inbox,
      clock: systemClock,
      policy: { current: async () => DEFAULT_OFFICE_POLICY },
      media: new MediaStore(mediaDir),
      logger: silentLogger,
      maxAttachmentBytes: 1024,
      onRepliesQueued: () => {},
      ...(options.maxBatch ? { batch: { maxSize: options.maxBatch } } : {}),
    });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.messages) {
          const i = next;
          next += 1;
          await pipeline.handle(benchMessage(i, options.citizens, options.run));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const { count, messages, largest } = pipeline.batches;
    return {
      messages: options.messages,
      concurrency: options.concurrency,
      seconds,
      perSecond: options.messages / seconds,
      batches: count,
      meanBatch: count ? messages / count : 0,
      largestBatch: largest,
    };
  } finally {
    await rm(mediaDir, { recursive: true, force: true });
  }
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
  return {
    messages: rows,
    concurrency: 1,
    seconds,
    perSecond: rows / seconds,
    batches: rows,
    meanBatch: 1,
    largestBatch: 1,
  };
}
