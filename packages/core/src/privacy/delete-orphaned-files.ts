import type { Logger } from '../logger.ts';
import type { FileStore } from '../ports.ts';
import type { AttachmentRecords } from './ports.ts';

/**
 * Deletes the files of these keys that no attachment references any more. Files are kept by content,
 * so one file may belong to several attachments (the same KTP photo sent twice, by two citizens):
 * only the last reference's removal may delete it. Runs after the database commit, so a failure here
 * leaves a file without a row (harmless, unreachable through the API) rather than a row without a file.
 * Returns how many files were deleted.
 */
export async function deleteOrphanedFiles(options: {
  attachments: AttachmentRecords;
  files: FileStore | undefined;
  keys: string[];
  logger: Logger;
}): Promise<number> {
  const { attachments, files, logger } = options;
  const keys = [...new Set(options.keys)];
  if (!files || !keys.length) return 0;
  let deleted = 0;
  for (const key of await attachments.unreferencedKeys(keys)) {
    try {
      await files.delete(key);
      deleted += 1;
    } catch (error) {
      logger.error(
        { err: error instanceof Error ? error.message : String(error) },
        'a file could not be deleted; it stays on disk, unreferenced',
      );
    }
  }
  return deleted;
}
