import { StatisticsError } from './errors';
import { zForAlpha } from './normal';
import { Label, requireAlpha, requireCount, requireLabels, requireNonEmpty, requireSameLength } from './validate';

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** 2×2 table of binary calls against the reference standard. */
export function confusionMatrix(predicted: ArrayLike<Label>, actual: ArrayLike<Label>): ConfusionMatrix {
  requireNonEmpty('predicted', predicted);
  requireSameLength('predicted', predicted, 'actual', actual);
  requireLabels('predicted', predicted);
  requireLabels('actual', actual);
  const m: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < predicted.length; i++) {
    if (predicted[i] === 1) {
      if (actual[i] === 1) m.tp++;
      else m.fp++;
    } else if (actual[i] === 1) m.fn++;
    else m.tn++;
  }
  return m;
}

export interface DiagnosticRates {
  sensitivity: number | null;
  specificity: number | null;
  fpr: number | null;
  fnr: number | null;
  ppv: number | null;
  npv: number | null;
  f1: number | null;
  accuracy: number | null;
}

/** x / y, or null when y = 0: a rate with no cases behind it is unknown, not zero. */
function ratio(x: number, y: number): number | null {
  return y === 0 ? null : x / y;
}

/** The usual rates of a 2×2 table; null wherever the denominator is 0 (never NaN). */
export function diagnosticRates(m: ConfusionMatrix): DiagnosticRates {
  for (const key of ['tp', 'fp', 'tn', 'fn'] as const) requireCount(key, m[key]);
  return {
    sensitivity: ratio(m.tp, m.tp + m.fn),
    specificity: ratio(m.tn, m.tn + m.fp),
    fpr: ratio(m.fp, m.fp + m.tn),
    fnr: ratio(m.fn, m.fn + m.tp),
    ppv: ratio(m.tp, m.tp + m.fp),
    npv: ratio(m.tn, m.tn + m.fn),
    f1: ratio(2 * m.tp, 2 * m.tp + m.fp + m.fn),
    accuracy: ratio(m.tp + m.tn, m.tp + m.fp + m.tn + m.fn),
  };
}

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; method 3 of
 * Newcombe 1998), well behaved near 0 and 1 where the Wald interval fails.
 * null when there are no trials.
 */
export function wilsonInterval(successes: number, trials: number, alpha = 0.05): Interval | null {
  requireCount('successes', successes);
  requireCount('trials', trials);
  requireAlpha(alpha);
  if (successes > trials) throw new StatisticsError(`successes (${successes}) exceed trials (${trials})`);
  if (trials === 0) return null;
  const z = zForAlpha(alpha);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const halfWidth = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials));
  // Clamp only rounding noise: at 0/n or n/n the exact bound is 0 or 1.
  return { estimate: p, lower: Math.max(0, centre - halfWidth), upper: Math.min(1, centre + halfWidth) };
}
