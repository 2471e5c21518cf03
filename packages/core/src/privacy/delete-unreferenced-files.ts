import type { Logger } from '../logger.ts';
import type { Clock, FileStore } from '../ports.ts';
import { deleteOrphanedFiles } from './delete-orphaned-files.ts';
import type { AttachmentRecords } from './ports.ts';

/**
 * How old a file must be before it may count as unreferenced: an inbound message (or an officer's
 * upload) writes its file before the row that references it commits.
 */
export const UNREFERENCED_FILE_GRACE_MS = 60 * 60 * 1000;
const DEFAULT_CHUNK_SIZE = 1000;

/**
 * Deletes every stored file older than the grace period that no attachment references: what a crash
 * between an erasure's commit and its file deletion left behind, or a file written for a message whose
 * transaction then failed, or a write the process died in. Works through the store's keys in chunks, so neither the keys nor the query
 * grow with the store. Deleting a file another gateway deleted already is harmless. Returns how many
 * files were deleted.
 */
export async function deleteUnreferencedFiles(options: {
  attachments: AttachmentRecords;
  files: FileStore;
  clock: Clock;
  logger: Logger;
  graceMs?: number;
  chunkSize?: number;
}): Promise<number> {
  const { attachments, files, logger } = options;
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const modifiedBefore = new Date(
    options.clock.now().getTime() - (options.graceMs ?? UNREFERENCED_FILE_GRACE_MS),
  );
  // Half-written files are unreferenced by definition; a write takes far less than the grace period.
  let deleted = await files.deleteAbandonedWrites({ modifiedBefore });
  let chunk: string[] = [];
  const flush = async () => {
    deleted += await deleteOrphanedFiles({ attachments, files, keys: chunk, logger });
    chunk = [];
  };
  for await (const key of files.listKeys({ modifiedBefore })) {
    chunk.push(key);
    if (chunk.length >= chunkSize) await flush();
  }
  await flush();
  return deleted;
}
