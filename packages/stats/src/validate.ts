import { StatisticsError } from './errors';

/** A case's reference label: 1 = disease present (e.g. MBD), 0 = absent. */
export type Label = 0 | 1;

export function requireNonEmpty(name: string, values: ArrayLike<unknown>): void {
  if (values.length === 0) throw new StatisticsError(`${name} is empty`);
}

export function requireSameLength(nameA: string, a: ArrayLike<unknown>, nameB: string, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) {
    throw new StatisticsError(`${nameA} has ${a.length} values but ${nameB} has ${b.length}; they must pair up case by case`);
  }
}

export function requireFinite(name: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new StatisticsError(`${name}[${i}] is ${String(v)}; every value must be a finite number`);
    }
  }
}

export function requireLabels(name: string, labels: ArrayLike<number>): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new StatisticsError(`${name}[${i}] is ${String(labels[i])}; labels must be 0 (negative) or 1 (positive)`);
    }
  }
}

export function requireAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1)) throw new StatisticsError(`alpha must be in (0, 1), got ${alpha}`);
}

export function requireCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new StatisticsError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** Scores split by label, as float arrays so they sort natively. */
export interface ScoresByClass {
  positives: Float64Array;
  negatives: Float64Array;
}

/**
 * Checks a (scores, labels) pair for ROC work and splits it by class.
 * ROC statistics compare positives with negatives, so both classes must be present.
 */
export function splitByClass(scores: ArrayLike<number>, labels: ArrayLike<number>, name = 'scores'): ScoresByClass {
  requireNonEmpty(name, scores);
  requireSameLength(name, scores, 'labels', labels);
  requireFinite(name, scores);
  requireLabels('labels', labels);
  let positiveCount = 0;
  for (let i = 0; i < labels.length; i++) positiveCount += labels[i];
  const negativeCount = labels.length - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) {
    throw new StatisticsError(`${name} need both classes: got ${positiveCount} positive and ${negativeCount} negative cases`);
  }
  const positives = new Float64Array(positiveCount);
  const negatives = new Float64Array(negativeCount);
  let p = 0;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) positives[p++] = scores[i];
    else negatives[n++] = scores[i];
  }
  return { positives, negatives };
}
