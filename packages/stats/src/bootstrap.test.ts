import { DEFAULT_RESAMPLES, StatisticsError, auc, aucCi, bootstrapCi, createRandom } from './index';
import { Label } from './validate';

interface Case {
  score: number;
  label: Label;
}

function simulatedCases(count: number, seed: number): Case[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => {
    const label: Label = random() < 0.3 ? 1 : 0;
    return { label, score: Math.round((random() + 0.5 * label) * 20) / 20 };
  });
}

const aucOf = (sample: Case[]) =>
  auc(
    sample.map((c) => c.score),
    sample.map((c) => c.label),
  );
const byLabel = (c: Case) => String(c.label);
const meanOf = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

describe('createRandom', () => {
  it('repeats its stream for a seed and differs between seeds', () => {
    const a = createRandom(123);
    const b = createRandom(123);
    const c = createRandom(124);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
  });

  it('is uniform on [0, 1): mean ½, variance 1/12 over 100 000 draws', () => {
    const random = createRandom(9);
    const draws = Array.from({ length: 100_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(meanOf(draws)).toBeCloseTo(0.5, 2);
    expect(meanOf(draws.map((x) => (x - 0.5) ** 2))).toBeCloseTo(1 / 12, 3);
  });

  it('rejects a non-integer seed', () => {
    expect(() => createRandom(0.5)).toThrow(/seed must be an integer/);
  });
});

describe('bootstrapCi', () => {
  const cases = simulatedCases(300, 3);

  it('is reproducible for a seed and uses the paper’s 100 resamples by default', () => {
    const first = bootstrapCi(cases, aucOf, { seed: 11, stratify: byLabel });
    expect(bootstrapCi(cases, aucOf, { seed: 11, stratify: byLabel })).toEqual(first);
    expect(first.resamples).toBe(DEFAULT_RESAMPLES);
    expect(DEFAULT_RESAMPLES).toBe(100);
    expect(bootstrapCi(cases, aucOf, { seed: 12, stratify: byLabel })).not.toEqual(first);
    expect(first.estimate).toBe(aucOf(cases));
    expect(first.lower).toBeLessThan(first.estimate);
    expect(first.upper).toBeGreaterThan(first.estimate);
  });

  it('gives the normal-theory interval for a mean: ±1.96·s/√n within 10%', () => {
    const random = createRandom(5);
    const values = Array.from({ length: 400 }, () => random() * 10);
    const m = meanOf(values);
    const s = Math.sqrt(values.reduce((acc, x) => acc + (x - m) ** 2, 0) / (values.length - 1));
    const ci = bootstrapCi(values, meanOf, { resamples: 2000, seed: 1 });
    const expectedHalfWidth = (1.959963984540054 * s) / Math.sqrt(values.length);
    expect((ci.upper - ci.lower) / 2).toBeGreaterThan(0.9 * expectedHalfWidth);
    expect((ci.upper - ci.lower) / 2).toBeLessThan(1.1 * expectedHalfWidth);
  });

  it('keeps stratum sizes: the share of positives never varies across stratified resamples', () => {
    const share = (sample: Case[]) => sample.filter((c) => c.label === 1).length / sample.length;
    const ci = bootstrapCi(cases, share, { stratify: byLabel, resamples: 50 });
    expect(ci.lower).toBe(ci.estimate);
    expect(ci.upper).toBe(ci.estimate);
  });

  it('names the resample on which the statistic was undefined', () => {
    const tiny: Case[] = [
      { score: 0.9, label: 1 },
      { score: 0.1, label: 0 },
      { score: 0.2, label: 0 },
    ];
    expect(() => bootstrapCi(tiny, aucOf, { seed: 1 })).toThrow(StatisticsError);
    expect(() => bootstrapCi(tiny, aucOf, { seed: 1 })).toThrow(/bootstrap resample \d+ of 100: .*both classes/);
  });

  it('rejects bad options and empty input', () => {
    expect(() => bootstrapCi([], meanOf)).toThrow(/cases is empty/);
    expect(() => bootstrapCi([1, 2], meanOf, { resamples: 1 })).toThrow(/resamples must be an integer ≥ 2/);
    expect(() => bootstrapCi([1, 2], meanOf, { alpha: 0 })).toThrow(/alpha must be in \(0, 1\)/);
    expect(() => bootstrapCi([1, 2], () => NaN)).toThrow(/statistic returned NaN on the full data/);
  });
});

describe('aucCi', () => {
  const cases = simulatedCases(500, 21);
  const scores = cases.map((c) => c.score);
  const labels = cases.map((c) => c.label);

  it('draws exactly the resamples of the generic bootstrap stratified by class over score-ordered cases', () => {
    const fast = aucCi(scores, labels, { seed: 77, resamples: 200 });
    const inScoreOrder = [...cases].sort((a, b) => a.score - b.score || a.label - b.label);
    const generic = bootstrapCi(inScoreOrder, aucOf, { seed: 77, resamples: 200, stratify: byLabel });
    expect(fast.estimate).toBeCloseTo(generic.estimate, 12);
    expect(fast.lower).toBeCloseTo(generic.lower, 12);
    expect(fast.upper).toBeCloseTo(generic.upper, 12);
    expect(fast.resamples).toBe(200);
  });

  it('matches the generic bootstrap also when a positive case holds the lowest score', () => {
    const withLowPositive: Case[] = [...cases, { score: -1, label: 1 }];
    const fast = aucCi(
      withLowPositive.map((c) => c.score),
      withLowPositive.map((c) => c.label),
      { seed: 5 },
    );
    const inScoreOrder = [...withLowPositive].sort((a, b) => a.score - b.score || a.label - b.label);
    const generic = bootstrapCi(inScoreOrder, aucOf, { seed: 5, stratify: byLabel });
    expect(fast.lower).toBeCloseTo(generic.lower, 12);
    expect(fast.upper).toBeCloseTo(generic.upper, 12);
  });

  it('brackets the AUC and rejects single-class data', () => {
    const ci = aucCi(scores, labels);
    expect(ci.estimate).toBeCloseTo(auc(scores, labels), 12);
    expect(ci.lower).toBeLessThan(ci.estimate);
    expect(ci.upper).toBeGreaterThan(ci.estimate);
    expect(() => aucCi([0.1, 0.2], [0, 0])).toThrow(/both classes/);
  });
});
