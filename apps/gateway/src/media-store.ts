import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, opendir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
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
    // Kept already: mark it as just written, so the retention sweep's search for unreferenced files
    // (which leaves recent files alone) cannot take it before this put's row commits.
    if (await touch(file)) return key;
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
    await unlinkIfPresent(this.fileOf(key));
  }

  /**
   * Walks the two levels of the keys' layout (`ab/abcdef…`) one directory entry at a time (`opendir`),
   * so a store of millions of files is never listed into memory. Half-written files are not keys.
   */
  async *listKeys(options: { modifiedBefore: Date }): AsyncIterable<string> {
    const before = options.modifiedBefore.getTime();
    for await (const prefix of entriesOf(this.root)) {
      if (!prefix.isDirectory() || !/^[0-9a-f]{2}$/.test(prefix.name)) continue;
      for await (const entry of entriesOf(path.join(this.root, prefix.name))) {
        const key = `${prefix.name}/${entry.name}`;
        if (!entry.isFile() || !isMediaKey(key)) continue;
        const modified = await modifiedAt(this.fileOf(key));
        if (modified !== null && modified < before) yield key;
      }
    }
  }

  /** The `<hash>.<pid>.partial` files of put(), walked like listKeys. */
  async deleteAbandonedWrites(options: { modifiedBefore: Date }): Promise<number> {
    const before = options.modifiedBefore.getTime();
    let deleted = 0;
    for await (const prefix of entriesOf(this.root)) {
      if (!prefix.isDirectory() || !/^[0-9a-f]{2}$/.test(prefix.name)) continue;
      for await (const entry of entriesOf(path.join(this.root, prefix.name))) {
        if (!entry.isFile() || !PARTIAL_FILE.test(entry.name)) continue;
        const file = path.join(this.root, prefix.name, entry.name);
        const modified = await modifiedAt(file);
        if (modified === null || modified >= before) continue;
        if (await unlinkIfPresent(file)) deleted += 1;
      }
    }
    return deleted;
  }

  private fileOf(key: string): string {
    return path.join(this.root, key);
  }
}

/** The keys put() makes; anything else (`../`, absolute paths) never reaches the file system. */
function isMediaKey(key: string): boolean {
  return /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(key);
}

/** What put() writes before the rename: `<sha256>.<pid>.partial`. */
const PARTIAL_FILE = /^[0-9a-f]{64}\.\d+\.partial$/;

/** False when the file was not there (another gateway deleted it first). */
async function unlinkIfPresent(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/** Sets the file's times to now; false when there is no such file. */
async function touch(file: string): Promise<boolean> {
  try {
    const now = new Date();
    await utimes(file, now, now);
    return true;
  } catch {
    return false;
  }
}

/** Null when the file went away meanwhile (another gateway deleted it). */
async function modifiedAt(file: string): Promise<number | null> {
  try {
    return (await stat(file)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** A directory's entries, read a few at a time; none when it does not exist (yet). */
async function* entriesOf(directory: string): AsyncGenerator<Dirent> {
  let dir: Awaited<ReturnType<typeof opendir>>;
  try {
    dir = await opendir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  yield* dir; // closes the directory when the loop ends, breaks or throws
}
