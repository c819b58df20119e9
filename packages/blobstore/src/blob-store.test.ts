import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobNotFoundError, BlobStore, decodePixels, encodePixels } from '.';

describe('BlobStore', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('store bytes under their SHA-256 and return them unchanged', async () => {
    const store = new BlobStore(root);
    const bytes = new TextEncoder().encode('abc');
    const key = await store.put(bytes);
    // FIPS 180-2 test vector for SHA-256("abc").
    expect(key).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await store.put(bytes)).toBe(key);
    expect(Buffer.compare(await store.get(key), Buffer.from(bytes))).toBe(0);
    expect(fs.readdirSync(path.dirname(path.join(root, key.slice(0, 2), key.slice(2, 4), key)))).toEqual([key]);
  });

  it('keep blobs readable by the service user only: files 0600, folders 0700', async () => {
    const fresh = path.join(root, 'private');
    const key = await new BlobStore(fresh).put(new TextEncoder().encode('DOE^JANE pixels'));
    const file = path.join(fresh, key.slice(0, 2), key.slice(2, 4), key);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(fresh, key.slice(0, 2))).mode & 0o777).toBe(0o700);
  });

  it('store again after its folder was removed behind its back', async () => {
    const store = new BlobStore(root);
    const key = await store.put(Uint8Array.from([1, 2, 3]));
    fs.rmSync(path.join(root, key.slice(0, 2)), { recursive: true });
    expect(await store.put(Uint8Array.from([1, 2, 3]))).toBe(key);
    expect(Array.from(await store.get(key))).toEqual([1, 2, 3]);
  });

  it('keep a staged blob out of reach of its key until it is published, and leave nothing of a discarded one', async () => {
    const store = new BlobStore(root);
    const kept = await store.stage(Uint8Array.from([4, 5, 6]));
    const dropped = await store.stage(Uint8Array.from([7, 8, 9]));
    expect(fs.existsSync(kept.temporary)).toBe(true);
    await expect(store.get(kept.key)).rejects.toBeInstanceOf(BlobNotFoundError);

    await store.publish([kept]);
    expect(Array.from(await store.get(kept.key))).toEqual([4, 5, 6]);
    expect(fs.existsSync(kept.temporary)).toBe(false);
    await store.discard([dropped, kept]); // a published blob has no temporary name left: nothing to remove
    await expect(store.get(dropped.key)).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(fs.readdirSync(path.dirname(dropped.temporary))).toEqual([]);
    expect(Array.from(await store.get(kept.key))).toEqual([4, 5, 6]);
  });

  it('say which blob is missing', async () => {
    const store = new BlobStore(root);
    await expect(store.get('0'.repeat(64))).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.get('../../etc/passwd')).rejects.toThrow('Not a blob key');
  });

  it('round-trip Float32 pixels', () => {
    const pixels = Float32Array.from([0, 1.5, 278, -3]);
    expect(Array.from(decodePixels(encodePixels(pixels)))).toEqual([0, 1.5, 278, -3]);
    expect(() => decodePixels(new Uint8Array(3))).toThrow('not whole Float32');
  });
});
