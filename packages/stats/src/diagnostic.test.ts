import { StatisticsError, confusionMatrix, diagnosticRates, wilsonInterval } from './index';

describe('wilsonInterval', () => {
  // Newcombe RG (1998) Two-sided confidence intervals for the single proportion: comparison of
  // seven methods. Stat Med 17:857–872, Table II, method 3 (score interval without continuity correction).
  it.each([
    [81, 263, '0.2553', '0.3662'],
    [15, 148, '0.0624', '0.1605'],
    [0, 20, '0.0000', '0.1611'],
    [1, 29, '0.0061', '0.1718'],
  ])('%i/%i → %s–%s (Newcombe 1998)', (successes, trials, lower, upper) => {
    const interval = wilsonInterval(successes, trials)!;
    expect(interval.estimate).toBeCloseTo(successes / trials, 15);
    expect(interval.lower.toFixed(4)).toBe(lower);
    expect(interval.upper.toFixed(4)).toBe(upper);
  });

  it('mirrors around ½ and narrows at a lower confidence level', () => {
    const low = wilsonInterval(15, 148)!;
    const high = wilsonInterval(133, 148)!;
    expect(high.lower).toBeCloseTo(1 - low.upper, 14);
    const at90 = wilsonInterval(15, 148, 0.1)!;
    expect(at90.upper - at90.lower).toBeLessThan(low.upper - low.lower);
  });

  it('is null with no trials and rejects impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(() => wilsonInterval(5, 3)).toThrow(/successes \(5\) exceed trials \(3\)/);
    expect(() => wilsonInterval(1.5, 3)).toThrow(StatisticsError);
    expect(() => wilsonInterval(1, 3, 1)).toThrow(/alpha must be in \(0, 1\)/);
  });
});

describe('confusionMatrix and diagnosticRates', () => {
  it('counts calls against the reference and derives the rates', () => {
    const m = confusionMatrix([1, 1, 1, 0, 0, 0, 0, 1], [1, 1, 0, 0, 0, 0, 1, 1]);
    expect(m).toEqual({ tp: 3, fp: 1, tn: 3, fn: 1 });
    expect(diagnosticRates(m)).toEqual({
      sensitivity: 0.75,
      specificity: 0.75,
      fpr: 0.25,
      fnr: 0.25,
      ppv: 0.75,
      npv: 0.75,
      f1: 0.75,
      accuracy: 0.75,
    });
  });

  it('computes F1 as the harmonic mean of PPV and sensitivity', () => {
    const rates = diagnosticRates({ tp: 40, fp: 10, tn: 30, fn: 20 });
    const harmonic = (2 * rates.ppv! * rates.sensitivity!) / (rates.ppv! + rates.sensitivity!);
    expect(rates.f1).toBeCloseTo(harmonic, 14);
  });

  it('returns null, never NaN, for rates with no cases behind them', () => {
    const rates = diagnosticRates(confusionMatrix([0, 0], [0, 0]));
    expect(rates).toEqual({ sensitivity: null, specificity: 1, fpr: 0, fnr: null, ppv: null, npv: 1, f1: null, accuracy: 1 });
  });

  it('rejects mismatched or invalid input', () => {
    expect(() => confusionMatrix([1], [1, 0])).toThrow(/predicted has 1 values but actual has 2/);
    expect(() => confusionMatrix([], [])).toThrow(/empty/);
    expect(() => diagnosticRates({ tp: -1, fp: 0, tn: 0, fn: 0 })).toThrow(/tp must be a non-negative integer/);
  });
});
