import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob ${key} is not in the blob store`);
  }
}

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Content-addressed store for pixels, original DICOM and heat maps: the key is the SHA-256 of the
 * bytes, so storing the same object twice costs nothing and a key never points at changed data.
 * Writes go to a temporary file renamed into place, so a crash never leaves a half-written blob.
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
    const key = BlobStore.keyOf(bytes);
    const target = this.pathOf(key);
    const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await this.ensureFolder(path.dirname(target));
      await fs.writeFile(temporary, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.folders.delete(path.dirname(target)); // removed behind our back: make it again
      await this.ensureFolder(path.dirname(target));
      await fs.writeFile(temporary, bytes);
    }
    // Renaming onto an existing blob replaces it with identical bytes: no existence check needed.
    await fs.rename(temporary, target);
    return key;
  }

  private async ensureFolder(folder: string): Promise<void> {
    if (this.folders.has(folder)) return;
    await fs.mkdir(folder, { recursive: true });
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
}

/** Pixels travel as little-endian Float32 rows; these two functions are the only codec. */
export function encodePixels(pixels: Float32Array): Uint8Array {
  return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength).slice();
}

export function decodePixels(bytes: Uint8Array): Float32Array {
  if (bytes.byteLength % 4 !== 0) throw new Error(`Pixel blob of ${bytes.byteLength} bytes is not whole Float32 values`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
