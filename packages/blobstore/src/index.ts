import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export { decodePixels, encodePixels } from './pixels';
export { decodeHeatMaps, encodeHeatMaps, HEAT_MAP, HeatMapFormatError, type HeatMaps } from './heat-map';

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob ${key} is not in the blob store`);
  }
}

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** A blob written and flushed under a temporary name beside its place: not readable by its key until published. */
export interface StagedBlob {
  key: string;
  temporary: string;
}

/**
 * Content-addressed store for pixels, original DICOM and heat maps: the key is the SHA-256 of the
 * bytes, so storing the same object twice costs nothing and a key never points at changed data.
 *
 * Durability: a blob is flushed to disk (fdatasync) under a temporary name, renamed into place, and its
 * folder flushed too, before put() or publish() resolves; a caller that writes the row naming the blob
 * afterwards never commits a row whose blob a power cut could lose. A crash never leaves a half-written
 * blob under its key. Staging (hash, write, flush) and publishing (rename) are separate so that the costly
 * part can run before the caller knows whether it wants the blob, and what it turns down is discarded
 * without ever having been visible.
 */
export class BlobStore {
  constructor(readonly root: string) {}

  static keyOf(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  private pathOf(key: string): string {
    if (!KEY_PATTERN.test(key)) throw new Error(`Not a blob key: ${JSON.stringify(key)}`);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  /** Folders known to exist: ingest writes three blobs a scan, and a mkdir each is a syscall saved. */
  private readonly folders = new Set<string>();

  async put(bytes: Uint8Array): Promise<string> {
    const staged = await this.stage(bytes);
    await this.publish([staged]);
    return staged.key;
  }

  /** Writes and flushes the bytes under a temporary name in the folder of their key. */
  async stage(bytes: Uint8Array): Promise<StagedBlob> {
    const key = BlobStore.keyOf(bytes);
    const folder = path.dirname(this.pathOf(key));
    const temporary = path.join(folder, `${key}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await this.ensureFolder(folder);
      await writeFlushed(temporary, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.folders.delete(folder); // removed behind our back: make it again
      await this.ensureFolder(folder);
      await writeFlushed(temporary, bytes);
    }
    return { key, temporary };
  }

  /** Renames staged blobs into place and flushes their folders: on disk under their keys when this resolves. */
  async publish(blobs: StagedBlob[]): Promise<void> {
    // Renaming onto an existing blob replaces it with identical bytes: no existence check needed.
    await Promise.all(blobs.map((blob) => fs.rename(blob.temporary, this.pathOf(blob.key))));
    await Promise.all([...new Set(blobs.map((blob) => path.dirname(this.pathOf(blob.key))))].map(syncFolder));
  }

  /** Removes staged blobs that will not be published; already gone is fine. */
  async discard(blobs: StagedBlob[]): Promise<void> {
    await Promise.all(
      blobs.map((blob) =>
        fs.unlink(blob.temporary).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  }

  /** Makes the folder, flushing the parent of every folder made: a new folder is a name like any other. */
  private async ensureFolder(folder: string): Promise<void> {
    if (this.folders.has(folder)) return;
    const firstMade = await fs.mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER });
    if (firstMade) {
      for (let made = folder; made !== path.dirname(made); made = path.dirname(made)) {
        await syncFolder(path.dirname(made));
        if (made === firstMade) break;
      }
    }
    this.folders.add(folder);
  }

  async get(key: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new BlobNotFoundError(key);
      throw error;
    }
  }

  /**
   * Deletes staged blobs a crash left behind (never published, so nothing names them) and returns how many.
   * Only those older than `olderThanMs`: a live process stages and publishes within seconds, so a younger
   * one may still be on its way into place.
   */
  async sweepStaged(olderThanMs: number): Promise<number> {
    const before = Date.now() - olderThanMs;
    let swept = 0;
    for (const first of await subfolders(this.root)) {
      for (const second of await subfolders(first)) {
        for (const name of await fs.readdir(second)) {
          if (!name.endsWith('.tmp')) continue;
          const file = path.join(second, name);
          const stat = await fs.stat(file).catch(() => null);
          if (!stat || stat.mtimeMs >= before) continue;
          await fs.rm(file, { force: true });
          swept += 1;
        }
      }
    }
    return swept;
  }
}

/** The folders directly in `folder`; none when it does not exist (a store nothing was written to yet). */
async function subfolders(folder: string): Promise<string[]> {
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(folder, entry.name));
}

/** Blobs hold patients' pixels and DICOM headers (names included): readable by the service's own user only. */
const PRIVATE_FILE = 0o600;
const PRIVATE_FOLDER = 0o700;

async function writeFlushed(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx', PRIVATE_FILE);
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
