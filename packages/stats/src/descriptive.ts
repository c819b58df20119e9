import { StatisticsError } from './errors';
import { requireFinite } from './validate';

/**
 * Quantile of an ascending-sorted array by linear interpolation between order
 * statistics (Hyndman & Fan type 7, the default of R and NumPy).
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

function sortedCopy(name: string, xs: ArrayLike<number>): Float64Array {
  requireFinite(name, xs);
  return Float64Array.from(xs).sort();
}

/** q-th quantile (0 ≤ q ≤ 1), type 7; null for an empty list. */
export function quantile(xs: ArrayLike<number>, q: number): number | null {
  if (!(q >= 0 && q <= 1)) throw new StatisticsError(`quantile q must be in [0, 1], got ${q}`);
  if (xs.length === 0) return null;
  return quantileOfSorted(sortedCopy('quantile input', xs), q);
}

/** Median; null for an empty list. */
export function median(xs: ArrayLike<number>): number | null {
  return quantile(xs, 0.5);
}

/** Interquartile range, Q3 − Q1 (type 7 quartiles); null for an empty list. */
export function iqr(xs: ArrayLike<number>): number | null {
  if (xs.length === 0) return null;
  const sorted = sortedCopy('iqr input', xs);
  return quantileOfSorted(sorted, 0.75) - quantileOfSorted(sorted, 0.25);
}

/** Median with its quartiles, the summary the reader study reports across readers. */
export function medianWithQuartiles(xs: ArrayLike<number>): { median: number; q1: number; q3: number } | null {
  if (xs.length === 0) return null;
  const sorted = sortedCopy('median input', xs);
  return { median: quantileOfSorted(sorted, 0.5), q1: quantileOfSorted(sorted, 0.25), q3: quantileOfSorted(sorted, 0.75) };
}
