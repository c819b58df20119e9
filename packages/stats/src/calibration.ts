import { StatisticsError } from './errors';
import { Label, requireFinite, requireLabels, requireNonEmpty, requireSameLength } from './validate';

export interface CalibrationBin {
  lower: number;
  upper: number;
  /** Mean predicted probability in the bin; null if the bin is empty. */
  meanPredicted: number | null;
  /** Observed share of positives in the bin; null if the bin is empty. */
  observedRate: number | null;
  count: number;
}

export interface Calibration {
  bins: CalibrationBin[];
  /** Expected calibration error: count-weighted mean |meanPredicted − observedRate|. */
  ece: number;
}

/**
 * Reliability table of predicted probabilities against outcomes, in equal-width
 * bins over [0, 1] (the last bin includes 1), with the expected calibration error.
 */
export function calibration(probabilities: ArrayLike<number>, labels: ArrayLike<Label>, bins = 10): Calibration {
  requireNonEmpty('probabilities', probabilities);
  requireSameLength('probabilities', probabilities, 'labels', labels);
  requireFinite('probabilities', probabilities);
  requireLabels('labels', labels);
  if (!Number.isInteger(bins) || bins < 1) throw new StatisticsError(`bins must be a positive integer, got ${bins}`);
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i];
    if (p < 0 || p > 1) throw new StatisticsError(`probabilities[${i}] is ${p}; probabilities must lie in [0, 1]`);
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]++;
    predicted[b] += p;
    positives[b] += labels[i];
  }
  let ece = 0;
  const table = Array.from(count, (n, b): CalibrationBin => {
    if (n === 0) return { lower: b / bins, upper: (b + 1) / bins, meanPredicted: null, observedRate: null, count: 0 };
    const meanPredicted = predicted[b] / n;
    const observedRate = positives[b] / n;
    ece += (n / probabilities.length) * Math.abs(meanPredicted - observedRate);
    return { lower: b / bins, upper: (b + 1) / bins, meanPredicted, observedRate, count: n };
  });
  return { bins: table, ece };
}
