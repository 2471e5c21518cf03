// Outbound throughput: queued replies (the acknowledgement and auto-reply of each citizen's first
// message, queued by receiveMessage) sent by the gateway's real delivery worker, through its pacer,
// the real Telegram adapter (telegraf) and the fake Bot API on 127.0.0.1, in a thread of its own. Rates
// are counted from the fake's arrival times: what the platform would see.
import { createTelegramChannel } from '@loket/channel-telegram';
import {
  DEFAULT_OFFICE_POLICY,
  type FileStore,
  receiveMessage,
  silentLogger,
  systemClock,
} from '@loket/core';
import { createRepositories, type Database } from '@loket/db';
import { createOutboundPacer, startDeliveryWorker } from '@loket/gateway';
import { startRemoteFakeTelegram } from './fake-telegram-remote.ts';

export type OutboundFigures = {
  queued: number;
  sent: number;
  failed: number;
  /** First to last arrival at the fake. */
  seconds: number;
  /** Arrivals per second over the whole run (first to last). */
  perSecond: number;
  /** Arrivals per second in the measuring window that starts at the first arrival. */
  windowPerSecond: number;
  windowSeconds: number;
  /** The most arrivals in any one-second window (exact, sliding over every arrival). */
  maxInAnySecond: number;
};

export type OutboundRun = {
  /** Citizens whose first message queues two replies each. */
  citizens: number;
  /** Ids of this run's citizens start here, so runs on one database do not meet. */
  firstId: number;
  /** Overall limit per second (and Telegram's 1 s per chat); none: as fast as it goes. */
  perSecond?: number;
  /** The window the achieved rate is measured over; the queue must last longer. */
  windowSeconds: number;
  batchSize: number;
};

async function queueAcknowledgements(database: Database, citizens: number, firstId: number): Promise<number> {
  const store = createRepositories(database).inbox;
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < citizens) {
        const id = String(firstId + next);
        next += 1;
        await receiveMessage({
          store,
          clock: systemClock,
          policy: DEFAULT_OFFICE_POLICY,
          message: {
            channel: 'telegram',
            externalMessageId: `out:${id}`,
            externalUserId: id,
            externalThreadId: id,
            displayName: `Warga ${id}`,
            sentAt: new Date(),
            text: 'halo, mohon info syarat KK',
            attachments: [],
          },
        });
      }
    }),
  );
  // Counted on the messages, which say the truth about a delivery whatever queue carries the job.
  return database.prisma.message.count({
    where: { direction: 'outbound', deliveryStatus: 'queued', channel: 'telegram' },
  });
}

const noFiles: FileStore = {
  put: async () => 'none',
  get: async () => null,
  delete: async () => {},
  async *listKeys() {},
  deleteAbandonedWrites: async () => 0,
};

/** The most values within any `windowMs` (half-open), over sorted times. */
export function maxInAnyWindow(sortedTimes: number[], windowMs: number): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < sortedTimes.length; to += 1) {
    while ((sortedTimes[to] as number) - (sortedTimes[from] as number) >= windowMs) from += 1;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

export async function measureOutbound(database: Database, run: OutboundRun): Promise<OutboundFigures> {
  const queued = await queueAcknowledgements(database, run.citizens, run.firstId);
  const fake = await startRemoteFakeTelegram();
  const adapter = createTelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, mode: 'polling' });
  const repos = createRepositories(database);
  const pacer = run.perSecond === undefined ? undefined : createOutboundPacer();
  // What an admin's PATCH /v1/admin/channels/telegram {config: {outbound: …}} hands the pacer.
  pacer?.configure('telegram', { outbound: { perSecond: run.perSecond } });
  const started = performance.now();
  const worker = startDeliveryWorker({
    queue: repos.deliveryQueue,
    // Acknowledgements carry no attachments, so the file store is never read.
    files: noFiles,
    clock: systemClock,
    logger: silentLogger,
    runningAdapter: (channel) => (channel === 'telegram' ? adapter : undefined),
    runningChannels: () => ['telegram'],
    pollIntervalMs: 50,
    batchSize: run.batchSize,
    ...(pacer ? { pacer } : {}),
  });
  try {
    for (;;) {
      const done = worker.counters.sent + worker.counters.failed;
      if (done >= queued) break;
      if (performance.now() - started > 300_000) throw new Error(`only ${done} of ${queued} sent in 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const arrivals = (await fake.arrivals()).sort((a, b) => a - b);
    const first = arrivals[0] ?? 0;
    const last = arrivals.at(-1) ?? first;
    const seconds = (last - first) / 1000;
    const windowEnd = first + run.windowSeconds * 1000;
    const inWindow = arrivals.filter((at) => at < windowEnd).length;
    const sent = worker.counters.sent;
    if (arrivals.length !== sent)
      console.log(
        `  note: the fake received ${arrivals.length} sendMessage calls, the worker counted ${sent} sent`,
      );
    return {
      queued,
      sent,
      failed: worker.counters.failed,
      seconds,
      perSecond: seconds > 0 ? (arrivals.length - 1) / seconds : 0,
      windowPerSecond: last >= windowEnd ? inWindow / run.windowSeconds : Number.NaN,
      windowSeconds: run.windowSeconds,
      maxInAnySecond: maxInAnyWindow(arrivals, 1000),
    };
  } finally {
    await worker.stop();
    await fake.close();
  }
}
