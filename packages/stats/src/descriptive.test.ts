import { StatisticsError, iqr, median, quantile } from './index';
import { medianWithQuartiles } from './descriptive';

describe('median, quantile, iqr', () => {
  it('match R’s default (type 7) quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // R: quantile(c(1, 2, 3, 4, 10), 0.9) = 7.6; IQR(1:8) = 3.5
    expect(quantile([10, 1, 3, 2, 4], 0.9)).toBeCloseTo(7.6, 14);
    expect(iqr([1, 2, 3, 4, 5, 6, 7, 8])).toBe(3.5);
    expect(quantile([5], 0.3)).toBe(5);
    expect(medianWithQuartiles([1, 2, 3, 4, 5, 6, 7, 8])).toEqual({ median: 4.5, q1: 2.75, q3: 6.25 });
  });

  it('returns null for an empty list, and rejects NaN or a q outside [0, 1]', () => {
    expect(median([])).toBeNull();
    expect(iqr([])).toBeNull();
    expect(quantile([], 0.5)).toBeNull();
    expect(() => median([1, NaN])).toThrow(StatisticsError);
    expect(() => quantile([1], 1.2)).toThrow(/q must be in \[0, 1\]/);
  });
});
