import { StatisticsError } from './errors';
import { Label, requireCount, requireFinite, requireLabels, ScoresByClass, splitByClass } from './validate';

/** First index whose value is ≥ x in an ascending array. */
function lowerBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] < x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose value is > x in an ascending array. */
function upperBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid] <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * DeLong's placement values (structural components), in the input order of each class:
 * - positivePlacements[i]: share of negatives scored below positive i (ties count ½), V10;
 * - negativePlacements[j]: share of positives scored above negative j (ties count ½), V01.
 * The mean of either is the AUC. Sorting each class once (Sun & Xu 2014) makes this
 * O(n log n) instead of comparing every pair.
 */
export interface Placements {
  positivePlacements: Float64Array;
  negativePlacements: Float64Array;
}

/**
 * Placements in each class's input order, so two raters' placements of the same case
 * line up (paired test); binary search keeps the input order without an index sort.
 */
export function placementsOf({ positives, negatives }: ScoresByClass): Placements {
  const sortedPositives = Float64Array.from(positives).sort();
  const sortedNegatives = Float64Array.from(negatives).sort();
  const positivePlacements = new Float64Array(positives.length);
  for (let i = 0; i < positives.length; i++) {
    const below = lowerBound(sortedNegatives, positives[i]);
    const tied = upperBound(sortedNegatives, positives[i]) - below;
    positivePlacements[i] = (below + tied / 2) / negatives.length;
  }
  const negativePlacements = new Float64Array(negatives.length);
  for (let j = 0; j < negatives.length; j++) {
    const upper = upperBound(sortedPositives, negatives[j]);
    const tied = upper - lowerBound(sortedPositives, negatives[j]);
    negativePlacements[j] = (positives.length - upper + tied / 2) / positives.length;
  }
  return { positivePlacements, negativePlacements };
}

export function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * For each value of an ascending array, how many values of an ascending reference
 * array lie below it, ties counting ½ (Mann–Whitney points). One merge-like pass:
 * O(n) once both are sorted, with sequential memory access, which matters at a
 * million scores. Half-integers are exact in floating point, so sums of them are too.
 */
export function pointsBelow(sortedValues: Float64Array, sortedReference: Float64Array): Float64Array {
  const points = new Float64Array(sortedValues.length);
  let below = 0;
  let tiedEnd = 0;
  for (let i = 0; i < sortedValues.length; i++) {
    const x = sortedValues[i];
    while (below < sortedReference.length && sortedReference[below] < x) below++;
    if (tiedEnd < below) tiedEnd = below;
    while (tiedEnd < sortedReference.length && sortedReference[tiedEnd] === x) tiedEnd++;
    points[i] = below + (tiedEnd - below) / 2;
  }
  return points;
}

/** Placement values of both classes, each in ascending score order (enough for one AUC's variance). */
export function sortedPlacements({ positives, negatives }: ScoresByClass): Placements {
  const sortedPositives = positives.sort();
  const sortedNegatives = negatives.sort();
  return {
    positivePlacements: pointsBelow(sortedPositives, sortedNegatives).map((points) => points / negatives.length),
    negativePlacements: pointsBelow(sortedNegatives, sortedPositives).map((points) => 1 - points / positives.length),
  };
}

/** `n` cases sharing one score and one label: the shape a database aggregation returns. */
export interface ScoreCount {
  score: number;
  label: Label;
  n: number;
}

/** Distinct scores of one class in ascending order, with how many cases have each. */
function tallyOfClass(groups: readonly ScoreCount[], label: Label): { scores: Float64Array; counts: Float64Array; total: number } {
  const ofClass = groups.filter((g) => g.label === label && g.n > 0).sort((a, b) => a.score - b.score);
  const scores: number[] = [];
  const counts: number[] = [];
  for (const g of ofClass) {
    if (scores.length > 0 && scores[scores.length - 1] === g.score) counts[counts.length - 1] += g.n;
    else {
      scores.push(g.score);
      counts.push(g.n);
    }
  }
  return { scores: Float64Array.from(scores), counts: Float64Array.from(counts), total: counts.reduce((s, c) => s + c, 0) };
}

/**
 * sortedPlacements of the cases the groups stand for, value for value, without expanding and
 * sorting them: one placement per distinct score, repeated for each case with it. A year of AI
 * calls on a 10⁻⁴ grid is ~20,000 groups for ~600,000 cases.
 */
export function sortedPlacementsOfCounts(groups: readonly ScoreCount[]): Placements {
  for (const [i, g] of groups.entries()) {
    requireFinite(`groups[${i}].score`, [g.score]);
    requireLabels(`groups[${i}].label`, [g.label]);
    requireCount(`groups[${i}].n`, g.n);
  }
  const positives = tallyOfClass(groups, 1);
  const negatives = tallyOfClass(groups, 0);
  if (positives.total === 0 || negatives.total === 0) {
    throw new StatisticsError(`scores need both classes: got ${positives.total} positive and ${negatives.total} negative cases`);
  }
  const expand = (values: Float64Array, counts: Float64Array, total: number) => {
    const out = new Float64Array(total);
    let at = 0;
    for (let i = 0; i < values.length; i++) {
      out.fill(values[i], at, at + counts[i]);
      at += counts[i];
    }
    return out;
  };
  const placements = (own: typeof positives, reference: typeof positives) => {
    const points = pointsBelow(own.scores, expand(reference.scores, reference.counts, reference.total));
    return { points, counts: own.counts, total: own.total };
  };
  const positive = placements(positives, negatives);
  const negative = placements(negatives, positives);
  return {
    positivePlacements: expand(
      positive.points.map((p) => p / negatives.total),
      positive.counts,
      positive.total,
    ),
    negativePlacements: expand(
      negative.points.map((p) => 1 - p / positives.total),
      negative.counts,
      negative.total,
    ),
  };
}

/**
 * Area under the empirical ROC curve = Mann–Whitney U / (n₁·n₀): the probability that
 * a random positive case scores above a random negative one, ties counting ½.
 * Higher score = more likely positive. O(n log n).
 */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<Label>): number {
  const { positives, negatives } = splitByClass(scores, labels);
  const points = pointsBelow(positives.sort(), negatives.sort());
  let u = 0;
  for (let i = 0; i < points.length; i++) u += points[i];
  return u / (positives.length * negatives.length);
}

export interface RocCurve {
  /** False-positive rate (1 − specificity) at each threshold, from 0 up to 1. */
  fpr: number[];
  /** True-positive rate (sensitivity) at each threshold, from 0 up to 1. */
  tpr: number[];
  /** A case is called positive when score ≥ threshold; the first is +Infinity (nobody positive). */
  thresholds: number[];
}

/**
 * Empirical ROC curve: one point per distinct score, from the strictest threshold
 * down. Tied scores move sensitivity and 1 − specificity together (a diagonal step),
 * which is why the trapezoidal area equals the Mann–Whitney AUC.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<Label>): RocCurve {
  const { positives, negatives } = splitByClass(scores, labels);
  const sortedPositives = positives.sort();
  const sortedNegatives = negatives.sort();
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  let i = sortedPositives.length - 1;
  let j = sortedNegatives.length - 1;
  while (i >= 0 || j >= 0) {
    const threshold = Math.max(i >= 0 ? sortedPositives[i] : -Infinity, j >= 0 ? sortedNegatives[j] : -Infinity);
    while (i >= 0 && sortedPositives[i] === threshold) i--;
    while (j >= 0 && sortedNegatives[j] === threshold) j--;
    curve.thresholds.push(threshold);
    curve.tpr.push((sortedPositives.length - 1 - i) / sortedPositives.length);
    curve.fpr.push((sortedNegatives.length - 1 - j) / sortedNegatives.length);
  }
  return curve;
}

/** An operating point: call positive when score ≥ threshold. */
export interface OperatingPoint {
  threshold: number;
  sensitivity: number;
  specificity: number;
}

/**
 * Threshold maximising Youden's J = sensitivity + specificity − 1 over the observed
 * scores. On ties the stricter threshold (higher specificity) wins, because false
 * positives are the known weakness of bone-scan reading.
 */
export function youdenThreshold(scores: ArrayLike<number>, labels: ArrayLike<Label>): OperatingPoint {
  const curve = rocCurve(scores, labels);
  let best = 1;
  for (let k = 2; k < curve.thresholds.length; k++) {
    if (curve.tpr[k] - curve.fpr[k] > curve.tpr[best] - curve.fpr[best]) best = k;
  }
  return { threshold: curve.thresholds[best], sensitivity: curve.tpr[best], specificity: 1 - curve.fpr[best] };
}

/**
 * The most sensitive threshold whose specificity is still ≥ target on these cases.
 * If even the strictest observed score lets a negative through and the target is 1,
 * the answer is threshold +Infinity with sensitivity 0: no finite cut-off reaches it.
 */
export function thresholdForSpecificity(scores: ArrayLike<number>, labels: ArrayLike<Label>, targetSpecificity: number): OperatingPoint {
  if (!(targetSpecificity >= 0 && targetSpecificity <= 1)) {
    throw new StatisticsError(`targetSpecificity must be in [0, 1], got ${targetSpecificity}`);
  }
  const curve = rocCurve(scores, labels);
  // Rounding slack so that e.g. 0.9 is met by exactly 90 of 100 negatives.
  const tolerance = 1e-12;
  let chosen = 0;
  for (let k = 1; k < curve.thresholds.length && 1 - curve.fpr[k] >= targetSpecificity - tolerance; k++) chosen = k;
  return { threshold: curve.thresholds[chosen], sensitivity: curve.tpr[chosen], specificity: 1 - curve.fpr[chosen] };
}
