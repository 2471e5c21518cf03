import type { Logger } from '../logger.ts';
import type { Clock, FileStore } from '../ports.ts';
import type { AuditLog } from '../queries.ts';
import { deleteOrphanedFiles } from './delete-orphaned-files.ts';
import type { AttachmentRecords } from './ports.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_BATCH_SIZE = 200;

export function retentionError(days: number): string {
  return `deleted after ${days} days (retention policy)`;
}

/**
 * The office's retention policy: the files of attachments older than `attachmentDays` are deleted and
 * the attachment says why (the message and its metadata stay). Null days: files are kept. Works in
 * batches, each its own short transaction, so a first run over years of files does not hold locks for
 * long; each batch claims its rows, so two gateways running it at once purge each file once. One audit
 * entry sums up a run that purged something. Returns how many attachments were purged.
 */
export async function purgeExpiredAttachments(options: {
  attachments: AttachmentRecords;
  files: FileStore | undefined;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  attachmentDays: number | null;
  batchSize?: number;
}): Promise<number> {
  const { attachments, attachmentDays: days } = options;
  if (days === null) return 0;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const cutoff = new Date(options.clock.now().getTime() - days * DAY_MS);
  let purged = 0;
  let filesDeleted = 0;
  for (;;) {
    const batch = await attachments.purgeCreatedBefore(cutoff, batchSize, retentionError(days));
    purged += batch.count;
    filesDeleted += await deleteOrphanedFiles({
      attachments,
      files: options.files,
      keys: batch.storageKeys,
      logger: options.logger,
    });
    if (batch.count < batchSize) break;
  }
  if (purged > 0) {
    await options.audit.record({
      actorId: null,
      action: 'retention.purge',
      target: 'attachments',
      meta: { count: purged, filesDeleted, days, createdBefore: cutoff.toISOString() },
    });
  }
  return purged;
}
