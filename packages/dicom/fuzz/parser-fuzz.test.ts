import { loadCodecs } from '../src';
import { fuzzReader, fuzzSeeds } from './mutate';

describe('failing: 10,000 mutated objects never crash the reader', () => {
  beforeAll(() => loadCodecs());

  it('answers every mutated object with a scan or a coded DicomError', () => {
    const seeds = fuzzSeeds();
    const report = fuzzReader(seeds, 10_000);
    expect(report.crashes.slice(0, 5)).toEqual([]);
    // The mutations must reach deep enough to be refused for several different reasons, and sometimes survive.
    expect(Object.keys(report.rejected).length).toBeGreaterThanOrEqual(4);
    expect(report.accepted).toBeGreaterThan(100);
  });
});
