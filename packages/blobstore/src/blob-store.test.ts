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

  it('store again after its folder was removed behind its back', async () => {
    const store = new BlobStore(root);
    const key = await store.put(Uint8Array.from([1, 2, 3]));
    fs.rmSync(path.join(root, key.slice(0, 2)), { recursive: true });
    expect(await store.put(Uint8Array.from([1, 2, 3]))).toBe(key);
    expect(Array.from(await store.get(key))).toEqual([1, 2, 3]);
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
