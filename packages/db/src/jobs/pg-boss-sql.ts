import { CHANNELS, type ChannelName } from '@loket/core';
import PgBoss from 'pg-boss';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

/** A Prisma client or an open interactive transaction: where a job statement runs. */
export type SqlClient = PrismaClient | Prisma.TransactionClient;

/** pg-boss's `db` option: anything that runs one statement and returns its rows. */
export type JobExecutor = {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
};

/**
 * pg-boss statements run through Prisma, inside the caller's transaction when it passes one. That is
 * how a job is enqueued in the same transaction as the row it acts on, and completed in the same
 * transaction as the outcome it records: on PostgreSQL and on PGlite alike, through one code path.
 */
export function prismaExecutor(client: SqlClient): JobExecutor {
  return {
    async executeSql(text, values = []) {
      const rows = await client.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
      return { rows };
    },
  };
}

/**
 * pg-boss's own API (its SQL and argument checks) without a connection of its own: every call here
 * passes the executor it runs on. It is never started, so it opens nothing and polls nothing.
 */
const statements = new PgBoss({
  db: {
    executeSql: () => Promise.reject(new Error('pg-boss statements need an explicit executor')),
  },
});

/** Every queue lives in the migrations (see 20261207093900_job_queue), so enqueueing never needs a running boss. */
export const DELIVERY_DEAD_LETTER_QUEUE = 'delivery-dead';
export const SLA_SWEEP_QUEUE = 'sla-sweep';
export const RETENTION_SWEEP_QUEUE = 'retention-sweep';

export function deliveryQueueName(channel: ChannelName): string {
  return `delivery-${channel}`;
}

export const DELIVERY_QUEUES: readonly string[] = CHANNELS.map(deliveryQueueName);

/** A job to insert: due now, or `delayMs` later on the database's clock (pg-boss compares with now()). */
export type NewJob = { name: string; data: object; delayMs?: number };

/** Many jobs in one statement, in the caller's transaction. */
export async function insertJobs(client: SqlClient, jobs: NewJob[]): Promise<void> {
  if (!jobs.length) return;
  await statements.insert(
    jobs.map((job) => ({
      name: job.name,
      data: job.data,
      ...(job.delayMs ? { startAfter: `${Math.max(0, job.delayMs) / 1000} seconds` } : {}),
    })),
    { db: prismaExecutor(client) },
  );
}

export type FetchedJob<T> = { id: string; name: string; data: T };

/**
 * Up to `batchSize` due jobs, now `active` (pg-boss's lease: when the worker dies, the job expires and
 * pg-boss retries it). pg-boss swallows errors here and returns nothing, so a database outage looks
 * like an empty queue; the next poll tries again.
 */
export async function fetchJobs<T>(
  client: SqlClient,
  name: string,
  batchSize: number,
): Promise<FetchedJob<T>[]> {
  const jobs = await statements.fetch<T>(name, { batchSize, db: prismaExecutor(client) });
  return (jobs ?? []).map((job) => ({ id: job.id, name: job.name, data: job.data }));
}

/** Marks an active job completed, with what happened in `output`, in the caller's transaction. */
export async function completeJob(
  client: SqlClient,
  name: string,
  id: string,
  output: object,
): Promise<void> {
  await statements.complete(name, id, output, { db: prismaExecutor(client) });
}

/** Fails an active job: pg-boss retries it with its backoff, then hands it to the dead letter queue. */
export async function failJob(
  client: SqlClient,
  name: string,
  ids: string | string[],
  output: object,
): Promise<void> {
  await statements.fail(name, ids as string, output, { db: prismaExecutor(client) });
}
