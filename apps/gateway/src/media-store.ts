import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '@loket/core';

/**
 * Citizens' files (KTP photos, KK scans) on disk under DATA_DIR/media, named by content hash so a
 * redelivered file is kept once. Served only through the authenticated API.
 */
export class MediaStore implements FileStore {
  constructor(private readonly root: string) {}

  async put(bytes: Uint8Array): Promise<string> {
    const digest = createHash('sha256').update(bytes).digest('hex');
    const key = `${digest.slice(0, 2)}/${digest}`;
    const file = this.fileOf(key);
    if (await exists(file)) return key;
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a crash never leaves a half file under the final name.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, bytes, { mode: 0o600 });
    await rename(partial, file);
    return key;
  }

  async get(key: string): Promise<Uint8Array | null> {
    if (!isMediaKey(key)) return null;
    try {
      return await readFile(this.fileOf(key));
    } catch {
      return null;
    }
  }

  /**
   * Callers delete a file only once no attachment references it. A put of the same bytes racing this
   * (a citizen sending the same file in the very same moment) can lose its file: put sees the file,
   * then it is unlinked. Both are rare enough together that a lock across processes is not worth it.
   */
  async delete(key: string): Promise<void> {
    if (!isMediaKey(key)) return;
    try {
      await unlink(this.fileOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  private fileOf(key: string): string {
    return path.join(this.root, key);
  }
}

/** The keys put() makes; anything else (`../`, absolute paths) never reaches the file system. */
function isMediaKey(key: string): boolean {
  return /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
