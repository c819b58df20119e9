import { StatisticsError, createRandom, delong, delongCi, delongCiOfCounts, delongPairedTest, type ScoreCount } from './index';
import { twoSidedP } from './normal';
import { s100bCases, wfnsCases } from './testing/asah';
import { Label } from './validate';

/**
 * DeLong, DeLong & Clarke-Pearson (1988) written out by definition: ψ kernel over all
 * pairs for the structural components, then their (co)variances. O(n·m) — only for checking.
 */
function definitionalDelong(a: number[], b: number[], labels: Label[]) {
  const psi = (x: number, y: number) => (x > y ? 1 : x === y ? 0.5 : 0);
  const pos = labels.flatMap((y, i) => (y === 1 ? [i] : []));
  const neg = labels.flatMap((y, i) => (y === 0 ? [i] : []));
  const components = (s: number[]) => ({
    v10: pos.map((i) => neg.reduce((sum, j) => sum + psi(s[i], s[j]), 0) / neg.length),
    v01: neg.map((j) => pos.reduce((sum, i) => sum + psi(s[i], s[j]), 0) / pos.length),
  });
  const ca = components(a);
  const cb = components(b);
  const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const cov = (x: number[], y: number[]) => {
    const mx = avg(x);
    const my = avg(y);
    return x.reduce((s, xi, k) => s + (xi - mx) * (y[k] - my), 0) / (x.length - 1);
  };
  const s = (p: typeof ca, q: typeof ca) => cov(p.v10, q.v10) / pos.length + cov(p.v01, q.v01) / neg.length;
  const variance = s(ca, ca) + s(cb, cb) - 2 * s(ca, cb);
  return { aucA: avg(ca.v10), aucB: avg(cb.v10), varianceA: s(ca, ca), variance };
}

describe('delong', () => {
  it('reproduces pROC on aSAH WFNS grade (5 ordinal levels, heavy ties)', () => {
    const { scores, labels } = wfnsCases();
    const result = delong(scores, labels);
    expect(result.auc).toBeCloseTo(0.82367886178861793, 14);
    expect(result.variance).toBeCloseTo(0.00146991470882363, 14);
  });

  it('reproduces pROC on aSAH S100B (continuous marker)', () => {
    const { scores, labels } = s100bCases();
    const result = delong(scores, labels);
    expect(result.auc).toBeCloseTo(0.73136856368563685, 14);
    expect(result.variance).toBeCloseTo(0.00266868245717244, 14);
  });

  it('gives pROC\'s printed interval for S100B: "95% CI: 0.6301-0.8326 (DeLong)"', () => {
    // roc(aSAH$outcome, aSAH$s100b, ci = TRUE), pROC's documented example.
    const { scores, labels } = s100bCases();
    const interval = delongCi(scores, labels);
    expect(interval.estimate.toFixed(4)).toBe('0.7314');
    expect(interval.lower.toFixed(4)).toBe('0.6301');
    expect(interval.upper.toFixed(4)).toBe('0.8326');
  });

  it('clamps the interval to [0, 1] for a perfect separation', () => {
    expect(delongCi([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toEqual({ estimate: 1, lower: 1, upper: 1 });
  });

  it('needs two cases of each class for a sample variance', () => {
    expect(() => delong([0.9, 0.1, 0.2], [1, 0, 0])).toThrow(StatisticsError);
    expect(() => delong([0.9, 0.1, 0.2], [1, 0, 0])).toThrow(/at least 2 positive and 2 negative cases, got 1 and 2/);
  });
});

describe('delongCiOfCounts', () => {
  const expanded = (groups: ScoreCount[]) => ({
    scores: groups.flatMap((g) => Array<number>(g.n).fill(g.score)),
    labels: groups.flatMap((g) => Array<Label>(g.n).fill(g.label)),
  });

  it('equals delongCi of the cases the counts stand for, to the last bit (ties within and across classes, repeated groups, empty groups)', () => {
    const random = createRandom(17);
    for (let trial = 0; trial < 20; trial++) {
      const groups: ScoreCount[] = Array.from({ length: 5 + Math.floor(random() * 300) }, () => ({
        score: Math.round(random() * 40) / 40,
        label: (random() < 0.3 ? 1 : 0) as Label,
        n: Math.floor(random() * 50),
      }));
      groups.push({ score: 0.5, label: 1, n: 2 }, { score: 0.5, label: 0, n: 2 });
      const { scores, labels } = expanded(groups);
      expect(delongCiOfCounts(groups)).toEqual(delongCi(scores, labels));
    }
  });

  it('reproduces pROC on aSAH WFNS grade given as counts per grade', () => {
    const { scores, labels } = wfnsCases();
    const counts = new Map<string, ScoreCount>();
    scores.forEach((score, i) => {
      const key = `${score}:${labels[i]}`;
      counts.set(key, { score, label: labels[i], n: (counts.get(key)?.n ?? 0) + 1 });
    });
    expect(delongCiOfCounts([...counts.values()])).toEqual(delongCi(scores, labels));
    expect(delongCiOfCounts([...counts.values()]).estimate).toBeCloseTo(0.82367886178861793, 14);
  });

  it('rejects counts that are not whole numbers and a class with no case', () => {
    expect(() =>
      delongCiOfCounts([
        { score: 1, label: 1, n: 2.5 },
        { score: 0, label: 0, n: 2 },
      ]),
    ).toThrow(StatisticsError);
    expect(() =>
      delongCiOfCounts([
        { score: 1, label: 1, n: 3 },
        { score: 0, label: 0, n: 0 },
      ]),
    ).toThrow(/both classes/);
  });
});

describe('delongPairedTest', () => {
  const random = createRandom(42);
  const labels: Label[] = Array.from({ length: 150 }, () => (random() < 0.4 ? 1 : 0));
  // Reader A: 5-point confidence ratings (ties); reader B: continuous, correlated with A.
  const latent = labels.map((y) => random() + 0.35 * y);
  const readerA = latent.map((x) => Math.min(5, 1 + Math.floor(x * 4)));
  const readerB = latent.map((x, i) => x + 0.3 * (random() - 0.5) + 0.1 * labels[i]);

  it('agrees with the DeLong 1988 definition computed pair by pair', () => {
    const expected = definitionalDelong(readerA, readerB, labels);
    const result = delongPairedTest(readerA, readerB, labels);
    expect(result.aucA).toBeCloseTo(expected.aucA, 12);
    expect(result.aucB).toBeCloseTo(expected.aucB, 12);
    expect(result.difference).toBeCloseTo(expected.aucA - expected.aucB, 12);
    expect(result.variance).toBeCloseTo(expected.variance, 14);
    expect(result.z).toBeCloseTo((expected.aucA - expected.aucB) / Math.sqrt(expected.variance), 10);
    expect(result.p).toBeCloseTo(twoSidedP(result.z), 14);
    expect(delong(readerA, labels).variance).toBeCloseTo(expected.varianceA, 14);
  });

  it('is antisymmetric: swapping the readers negates z and keeps p', () => {
    const ab = delongPairedTest(readerA, readerB, labels);
    const ba = delongPairedTest(readerB, readerA, labels);
    expect(ba.z).toBeCloseTo(-ab.z, 12);
    expect(ba.p).toBeCloseTo(ab.p, 12);
  });

  it('gives z = 0 and p = 1 for identical ratings, as pROC does', () => {
    expect(delongPairedTest(readerA, readerA, labels)).toMatchObject({ difference: 0, z: 0, p: 1 });
  });

  it('rejects readers who rated different numbers of cases', () => {
    expect(() => delongPairedTest([1, 2, 3, 4], [1, 2, 3], [1, 1, 0, 0])).toThrow(/scoresA has 4 values but scoresB has 3/);
  });
});

describe('two-sided p from z', () => {
  it('matches standard normal tables', () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 14);
    expect(twoSidedP(2.5758293035489)).toBeCloseTo(0.01, 13);
    expect(twoSidedP(0)).toBe(1);
  });
});
