import { calibration, createRandom } from './index';
import { Label } from './validate';

describe('calibration', () => {
  it('bins predictions and weighs each bin’s gap by its size (hand-computed)', () => {
    // bin 0: {0.05 → 0}; bin 1: {0.15 → 0, 0.15 → 1}; bin 9: {0.95 → 1, 1.0 → 1}
    // ECE = 1/5·0.05 + 2/5·|0.15 − 0.5| + 2/5·|0.975 − 1| = 0.01 + 0.14 + 0.01 = 0.16
    const result = calibration([0.05, 0.15, 0.15, 0.95, 1], [0, 0, 1, 1, 1]);
    expect(result.bins).toHaveLength(10);
    expect(result.bins[1]).toEqual({ lower: 0.1, upper: 0.2, meanPredicted: 0.15, observedRate: 0.5, count: 2 });
    expect(result.bins[5]).toEqual({ lower: 0.5, upper: 0.6, meanPredicted: null, observedRate: null, count: 0 });
    expect(result.bins[9].count).toBe(2);
    expect(result.ece).toBeCloseTo(0.16, 14);
  });

  it('tells a calibrated model from an overconfident one', () => {
    const random = createRandom(17);
    const probabilities = Array.from({ length: 20_000 }, random);
    const calibrated = probabilities.map((p): Label => (random() < p ? 1 : 0));
    const overconfident = probabilities.map((p): Label => (random() < 0.5 + (p - 0.5) / 2 ? 1 : 0));
    expect(calibration(probabilities, calibrated).ece).toBeLessThan(0.02);
    // Gap |p − (½ + (p − ½)/2)| = |p − ½|/2, averaging 1/8 over uniform predictions.
    expect(Math.abs(calibration(probabilities, overconfident).ece - 0.125)).toBeLessThan(0.01);
  });

  it('rejects probabilities outside [0, 1] and bad bin counts', () => {
    expect(() => calibration([1.2], [1])).toThrow(/probabilities\[0\] is 1.2/);
    expect(() => calibration([0.2], [1], 0)).toThrow(/bins must be a positive integer/);
  });
});
