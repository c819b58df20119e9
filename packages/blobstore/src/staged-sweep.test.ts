import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '.';

describe('BlobStore.sweepStaged', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'blobs-sweep-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('delete staged blobs a crash left behind, and keep published blobs and a staging still under way', async () => {
    const store = new BlobStore(root);
    const published = await store.put(Uint8Array.from([7, 7, 7]));
    const crashed = await store.stage(Uint8Array.from([1, 2, 3]));
    const underWay = await store.stage(Uint8Array.from([4, 5, 6]));
    const anHourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(crashed.temporary, anHourAgo, anHourAgo);

    expect(await store.sweepStaged(60_000)).toBe(1);
    expect(fs.existsSync(crashed.temporary)).toBe(false);
    expect(fs.existsSync(underWay.temporary)).toBe(true);
    expect(Array.from(await store.get(published))).toEqual([7, 7, 7]);
  });

  it('find nothing to sweep in a store nothing was written to', async () => {
    expect(await new BlobStore(path.join(root, 'never-written')).sweepStaged(0)).toBe(0);
  });
});
