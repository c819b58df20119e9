import { StatisticsError } from './errors';
import { twoSidedP, zForAlpha } from './normal';
import { Placements, ScoreCount, mean, placementsOf, sortedPlacements, sortedPlacementsOfCounts } from './roc';
import type { Interval } from './diagnostic';
import { Label, requireAlpha, requireSameLength, splitByClass } from './validate';

/** Sample covariance (n − 1 denominator) of two equally long arrays with known means. */
function covariance(a: Float64Array, meanA: number, b: Float64Array, meanB: number): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - meanA) * (b[i] - meanB);
  return sum / (a.length - 1);
}

function requireTwoPerClass(placements: Placements): void {
  const positives = placements.positivePlacements.length;
  const negatives = placements.negativePlacements.length;
  if (positives < 2 || negatives < 2) {
    throw new StatisticsError(`DeLong variance needs at least 2 positive and 2 negative cases, got ${positives} and ${negatives}`);
  }
}

/**
 * Covariance of two AUCs estimated on the same cases (DeLong, DeLong & Clarke-Pearson 1988,
 * Biometrics 44:837): S10/n₁ + S01/n₀ built from the placement values.
 */
function aucCovariance(a: Placements, aucA: number, b: Placements, aucB: number): number {
  const positives = a.positivePlacements.length;
  const negatives = a.negativePlacements.length;
  return (
    covariance(a.positivePlacements, aucA, b.positivePlacements, aucB) / positives +
    covariance(a.negativePlacements, aucA, b.negativePlacements, aucB) / negatives
  );
}

function delongOfPlacements(placements: Placements): { auc: number; variance: number } {
  requireTwoPerClass(placements);
  const area = mean(placements.positivePlacements);
  return { auc: area, variance: aucCovariance(placements, area, placements, area) };
}

function intervalOf({ auc, variance }: { auc: number; variance: number }, alpha: number): Interval {
  const halfWidth = zForAlpha(alpha) * Math.sqrt(variance);
  return { estimate: auc, lower: Math.max(0, auc - halfWidth), upper: Math.min(1, auc + halfWidth) };
}

/**
 * AUC with its DeLong (1988) nonparametric variance, computed with Sun & Xu's (2014)
 * O(n log n) placement algorithm. Matches R pROC's var(roc(...)).
 */
export function delong(scores: ArrayLike<number>, labels: ArrayLike<Label>): { auc: number; variance: number } {
  return delongOfPlacements(sortedPlacements(splitByClass(scores, labels)));
}

/**
 * AUC with the asymptotic DeLong (1 − alpha) interval, clamped to [0, 1] as R pROC's
 * ci.auc does. No resampling: the choice for very large case sets, where a bootstrap
 * costs 100 passes.
 */
export function delongCi(scores: ArrayLike<number>, labels: ArrayLike<Label>, alpha = 0.05): Interval {
  requireAlpha(alpha);
  return intervalOf(delong(scores, labels), alpha);
}

/**
 * delongCi of the cases that score-and-label counts stand for, to the last bit, without
 * expanding and sorting them: the same placements in the same order go through the same sums.
 */
export function delongCiOfCounts(groups: readonly ScoreCount[], alpha = 0.05): Interval {
  requireAlpha(alpha);
  return intervalOf(delongOfPlacements(sortedPlacementsOfCounts(groups)), alpha);
}

export interface PairedAucTest {
  aucA: number;
  aucB: number;
  /** aucA − aucB. */
  difference: number;
  /** Variance of the difference, accounting for the correlation of paired reads. */
  variance: number;
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * DeLong's test that two correlated AUCs, from two readers or reader and AI scoring
 * the same cases, are equal. Identical ratings give z = 0, p = 1 (as R pROC does);
 * a nonzero difference with zero variance is reported as an error, not ±Infinity.
 */
export function delongPairedTest(scoresA: ArrayLike<number>, scoresB: ArrayLike<number>, labels: ArrayLike<Label>): PairedAucTest {
  requireSameLength('scoresA', scoresA, 'scoresB', scoresB);
  const a = placementsOf(splitByClass(scoresA, labels, 'scoresA'));
  const b = placementsOf(splitByClass(scoresB, labels, 'scoresB'));
  requireTwoPerClass(a);
  const aucA = mean(a.positivePlacements);
  const aucB = mean(b.positivePlacements);
  const difference = aucA - aucB;
  const variance = Math.max(0, aucCovariance(a, aucA, a, aucA) + aucCovariance(b, aucB, b, aucB) - 2 * aucCovariance(a, aucA, b, aucB));
  if (variance === 0) {
    if (difference === 0) return { aucA, aucB, difference, variance, z: 0, p: 1 };
    throw new StatisticsError('the AUC difference has zero variance; DeLong test is undefined for these cases');
  }
  const z = difference / Math.sqrt(variance);
  return { aucA, aucB, difference, variance, z, p: twoSidedP(z) };
}
