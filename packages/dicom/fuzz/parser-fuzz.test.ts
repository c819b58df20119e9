import { loadCodecs, readBoneScan } from '../src';
import { fuzzReader, fuzzSeeds, type FuzzSeed } from './mutate';

const pixelsOf = (seed: FuzzSeed) => readBoneScan(seed.bytes).views.map((view) => Array.from(view.pixels));

describe('failing: 10,000 mutated objects never crash the reader', () => {
  let seeds: FuzzSeed[];
  let pixelsBefore: number[][][];

  beforeAll(async () => {
    await loadCodecs();
    seeds = fuzzSeeds();
    pixelsBefore = seeds.map(pixelsOf);
  });

  it('answers every mutated object with a scan or a coded DicomError', () => {
    const report = fuzzReader(seeds, 10_000);
    expect(report.crashes.slice(0, 5)).toEqual([]);
    // The mutations must reach deep enough to be refused for several different reasons, and sometimes survive.
    expect(Object.keys(report.rejected).length).toBeGreaterThanOrEqual(4);
    expect(report.rejected.CORRUPT_PIXEL_DATA).toBeGreaterThan(100);
    expect(report.accepted).toBeGreaterThan(100);
  });

  it('leaves the codecs sound: afterwards every seed is written to the same bytes and read to the same pixels', () => {
    const rewritten = fuzzSeeds();
    expect(rewritten.map((seed, i) => Buffer.from(seed.bytes).equals(Buffer.from(seeds[i].bytes)))).toEqual(seeds.map(() => true));
    expect(rewritten.map(pixelsOf)).toEqual(pixelsBefore);
  });
});
