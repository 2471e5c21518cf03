import {
  type AttachmentRecords,
  type AuditLog,
  type Clock,
  deleteUnreferencedFiles,
  type FileStore,
  type Logger,
  type PeriodicJobs,
  type PolicySource,
  purgeExpiredAttachments,
} from '@loket/core';
import { startPeriodicJob } from './periodic-job.ts';

export type RetentionSweep = {
  /** One sweep now; resolves with how many attachments it purged. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
};

export const DEFAULT_RETENTION_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Applies the office's retention policy (`retention.attachmentDays`) on an interval, and once at start
 * so a server that was down for a while catches up at boot. The policy is read at every run, so an
 * admin's change applies at the next one without a restart. Each batch claims its rows in the
 * database, so several gateways may sweep at once. Each run then deletes the files no attachment
 * references (left by a crash after an erasure, or by a message whose transaction failed); a file
 * already deleted by another gateway is no error.
 */
export function startRetentionSweep(deps: {
  attachments: AttachmentRecords;
  files: FileStore;
  audit: AuditLog;
  policy: PolicySource;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  /** The job queue the sweep runs on. */
  jobs: PeriodicJobs;
}): RetentionSweep {
  async function runOnce(): Promise<number> {
    const policy = await deps.policy.current();
    const purged = await purgeExpiredAttachments({
      attachments: deps.attachments,
      files: deps.files,
      audit: deps.audit,
      clock: deps.clock,
      logger: deps.logger,
      attachmentDays: policy.retention.attachmentDays,
    });
    if (purged) {
      deps.logger.info({ purged, days: policy.retention.attachmentDays }, 'retention: attachments purged');
    }
    const orphans = await deleteUnreferencedFiles({
      attachments: deps.attachments,
      files: deps.files,
      clock: deps.clock,
      logger: deps.logger,
    });
    if (orphans) deps.logger.info({ deleted: orphans }, 'retention: unreferenced files deleted');
    return purged;
  }

  const job = startPeriodicJob({
    name: 'retention sweep',
    queue: 'retention-sweep',
    intervalMs: deps.intervalMs,
    jobs: deps.jobs,
    logger: deps.logger,
    work: runOnce,
  });

  return {
    runOnce,
    stop: () => job.stop(),
  };
}
