import { quantileOfSorted } from './descriptive';
import { StatisticsError } from './errors';
import { createRandom } from './random';
import { Label, requireAlpha, requireNonEmpty, splitByClass } from './validate';

export interface BootstrapOptions<T> {
  /** Number of resamples; default 100, as in the paper's reader-study analysis. */
  resamples?: number;
  /** PRNG seed; the same seed gives the same interval. Default 1. */
  seed?: number;
  /** Two-sided level: the interval covers 1 − alpha. Default 0.05. */
  alpha?: number;
  /** Resample within each stratum, keeping its size (e.g. by class, so every resample has both). */
  stratify?: (c: T) => string;
}

export interface BootstrapInterval {
  /** The statistic on the full data. */
  estimate: number;
  /** Percentile bootstrap limits. */
  lower: number;
  upper: number;
  resamples: number;
}

export const DEFAULT_RESAMPLES = 100;
export const DEFAULT_SEED = 1;

interface ResolvedOptions {
  resamples: number;
  seed: number;
  alpha: number;
}

function resolve(options: { resamples?: number; seed?: number; alpha?: number }): ResolvedOptions {
  const resolved = {
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    seed: options.seed ?? DEFAULT_SEED,
    alpha: options.alpha ?? 0.05,
  };
  if (!Number.isInteger(resolved.resamples) || resolved.resamples < 2) {
    throw new StatisticsError(`resamples must be an integer ≥ 2, got ${resolved.resamples}`);
  }
  requireAlpha(resolved.alpha);
  return resolved;
}

/** Case indices grouped by stratum, strata in order of first appearance. */
function strataOf(count: number, keyOf: ((i: number) => string) | undefined): Int32Array[] {
  if (!keyOf) return [Int32Array.from({ length: count }, (_, i) => i)];
  const groups = new Map<string, number[]>();
  for (let i = 0; i < count; i++) {
    const key = keyOf(i);
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  }
  return [...groups.values()].map((g) => Int32Array.from(g));
}

/**
 * Draws one bootstrap resample: stratum by stratum, as many members (with
 * replacement) as the stratum holds, reporting each draw as (stratum, member).
 * Shared by the generic and the fast AUC bootstrap so both define a resample alike.
 */
function drawResample(sizes: readonly number[], random: () => number, take: (stratum: number, member: number) => void): void {
  sizes.forEach((size, stratum) => {
    for (let k = 0; k < size; k++) take(stratum, Math.floor(random() * size));
  });
}

function percentileInterval(estimate: number, replicates: Float64Array, alpha: number): BootstrapInterval {
  replicates.sort();
  return {
    estimate,
    lower: quantileOfSorted(replicates, alpha / 2),
    upper: quantileOfSorted(replicates, 1 - alpha / 2),
    resamples: replicates.length,
  };
}

function requireFiniteStatistic(value: number, where: string): number {
  if (!Number.isFinite(value)) throw new StatisticsError(`statistic returned ${value} on ${where}`);
  return value;
}

/**
 * Percentile bootstrap confidence interval of any statistic of a list of cases,
 * reproducible for a seed. A resample on which the statistic is undefined (throws
 * or returns a non-finite number) fails the whole interval with the resample's number.
 */
export function bootstrapCi<T>(cases: readonly T[], statistic: (sample: T[]) => number, options: BootstrapOptions<T> = {}): BootstrapInterval {
  requireNonEmpty('cases', cases);
  const { resamples, seed, alpha } = resolve(options);
  const stratify = options.stratify;
  const strata = strataOf(cases.length, stratify && ((i) => stratify(cases[i])));
  const sizes = strata.map((stratum) => stratum.length);
  const estimate = requireFiniteStatistic(statistic([...cases]), 'the full data');
  const random = createRandom(seed);
  const replicates = new Float64Array(resamples);
  const sample: T[] = new Array<T>(cases.length);
  for (let r = 0; r < resamples; r++) {
    let filled = 0;
    drawResample(sizes, random, (stratum, member) => (sample[filled++] = cases[strata[stratum][member]]));
    try {
      replicates[r] = requireFiniteStatistic(statistic(sample.slice()), `resample ${r + 1}`);
    } catch (error) {
      if (!(error instanceof StatisticsError)) throw error;
      throw new StatisticsError(`bootstrap resample ${r + 1} of ${resamples}: ${error.message}`);
    }
  }
  return percentileInterval(estimate, replicates, alpha);
}

/**
 * Mann–Whitney AUC of a resample, from each class's scores in ascending order and
 * how many times the resample drew each of them. One sequential pass.
 */
function weightedAuc(positives: Float64Array, positiveDraws: Uint32Array, negatives: Float64Array, negativeDraws: Uint32Array): number {
  let negativesBelow = 0;
  let positivesTotal = 0;
  let pairsWon = 0;
  let j = 0;
  for (let i = 0; i < positives.length;) {
    const x = positives[i];
    while (j < negatives.length && negatives[j] < x) negativesBelow += negativeDraws[j++];
    let negativesTied = 0;
    for (let k = j; k < negatives.length && negatives[k] === x; k++) negativesTied += negativeDraws[k];
    let positivesHere = 0;
    while (i < positives.length && positives[i] === x) positivesHere += positiveDraws[i++];
    pairsWon += positivesHere * (negativesBelow + negativesTied / 2);
    positivesTotal += positivesHere;
  }
  while (j < negatives.length) negativesBelow += negativeDraws[j++];
  return pairsWon / (positivesTotal * negativesBelow);
}

/**
 * Bootstrap CI of the AUC, stratified by class so every resample keeps the
 * original numbers of positive and negative cases. Each resample costs O(n) after
 * one sort, so it is usable on a million scores. Its resamples are exactly those of
 * bootstrapCi(cases, auc, { stratify: label }) with the cases listed in ascending
 * score order (negatives before positives on a tie) and the same seed.
 */
export function aucCi(scores: ArrayLike<number>, labels: ArrayLike<Label>, options: Omit<BootstrapOptions<never>, 'stratify'> = {}): BootstrapInterval {
  const { resamples, seed, alpha } = resolve(options);
  const { positives, negatives } = splitByClass(scores, labels);
  positives.sort();
  negatives.sort();
  // Strata in order of first appearance in score order, as bootstrapCi would meet them.
  const negativesFirst = negatives[0] <= positives[0];
  const draws = [new Uint32Array(positives.length), new Uint32Array(negatives.length)];
  const strata = negativesFirst ? [draws[1], draws[0]] : [draws[0], draws[1]];
  const sizes = strata.map((stratum) => stratum.length);
  draws.forEach((d) => d.fill(1));
  const estimate = weightedAuc(positives, draws[0], negatives, draws[1]);
  const random = createRandom(seed);
  const replicates = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    draws.forEach((d) => d.fill(0));
    drawResample(sizes, random, (stratum, member) => strata[stratum][member]++);
    replicates[r] = weightedAuc(positives, draws[0], negatives, draws[1]);
  }
  return percentileInterval(estimate, replicates, alpha);
}
