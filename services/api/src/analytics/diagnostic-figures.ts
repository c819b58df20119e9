import { delongCiOfCounts, wilsonInterval, type ConfusionMatrix, type Interval, type Label } from '@bonescan/stats';
import { Field, Int, ObjectType } from 'type-graphql';
import { estimate, Estimate, missing } from './estimate';

/**
 * Readers give a verdict and a confidence 1–5; ROC analysis needs one ordinal score per read.
 * Certain no-MBD is the lowest score, certain MBD the highest, equivocal sits in the middle.
 */
export const READER_SCORE_MAPPING =
  'NO_MBD with confidence c → 6 − c (1–5); EQUIVOCAL → 6; MBD with confidence c → 6 + c (7–11). ' +
  'For sensitivity, specificity and F1 an EQUIVOCAL verdict counts as positive: it sends the patient on to further imaging.';

export const readerScoreSql = (review: string): string =>
  `CASE ${review}.verdict WHEN 'NO_MBD' THEN 6 - ${review}.confidence WHEN 'EQUIVOCAL' THEN 6 ELSE 6 + ${review}.confidence END`;

/** A reader's call is positive unless the verdict is a clear "no MBD". */
export const readerCallSql = (review: string): string => `${review}.verdict <> 'NO_MBD'`;

/** `n` cases (or reads) with the same score, truth and binary call: the shape SQL aggregates return. */
export interface ScoredCases {
  score: number;
  mbd: boolean;
  called: boolean;
  n: number;
}

@ObjectType({ description: 'Sensitivity, specificity, AUC and F1 of one way of reading, against ground truth' })
export class DiagnosticFigures {
  @Field(() => Int, { description: 'Reads (or AI calls) with ground truth' })
  cases: number;

  @Field(() => Int, { description: 'Of which MBD confirmed' })
  positives: number;

  @Field(() => Int, { description: 'Of which MBD ruled out' })
  negatives: number;

  @Field(() => Estimate, { description: 'True-positive rate with Wilson interval' })
  sensitivity: Estimate;

  @Field(() => Estimate, { description: 'True-negative rate with Wilson interval' })
  specificity: Estimate;

  @Field(() => Estimate, { description: 'Area under the ROC curve of the scores, DeLong interval' })
  auc: Estimate;

  @Field(() => Estimate, { description: 'F1 of the binary calls; interval from the Wilson interval of TP / (TP + FP + FN)' })
  f1: Estimate;
}

export function confusionOf(groups: readonly ScoredCases[]): ConfusionMatrix {
  const m: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const g of groups) {
    if (g.called) m[g.mbd ? 'tp' : 'fp'] += g.n;
    else m[g.mbd ? 'fn' : 'tn'] += g.n;
  }
  return m;
}

export function proportion(successes: number, trials: number, whenEmpty: string): Estimate {
  const interval = wilsonInterval(successes, trials);
  return interval ? estimate(interval, 'Wilson', { numerator: successes, denominator: trials }) : missing(whenEmpty, 0);
}

/** AUC with its DeLong interval, which `interval` computes once both classes have 2 cases. */
function aucDelong(m: ConfusionMatrix, interval: () => Interval): Estimate {
  const positives = m.tp + m.fn;
  const negatives = m.tn + m.fp;
  if (positives < 2 || negatives < 2) {
    return missing(`AUC needs at least 2 cases with MBD confirmed and 2 with MBD ruled out; there are ${positives} and ${negatives}`, positives + negatives);
  }
  return estimate(interval(), 'DeLong', { denominator: positives + negatives });
}

/**
 * F1 with a 95 % interval. F1 = 2J / (1 + J) where J = TP / (TP + FP + FN), a binomial proportion
 * among the cases that are not true negatives; F1 rises with J, so the Wilson limits of J map to
 * limits of F1. Costs O(1) however many cases, where a bootstrap would cost 100 passes over them.
 */
export function f1WithCi(m: ConfusionMatrix): Estimate {
  const contested = m.tp + m.fp + m.fn;
  const cases = contested + m.tn;
  const jaccard = wilsonInterval(m.tp, contested);
  if (!jaccard) return missing('F1 needs at least one confirmed MBD case or one positive call', cases);
  const f1 = (j: number) => (2 * j) / (1 + j);
  return estimate({ estimate: f1(jaccard.estimate), lower: f1(jaccard.lower), upper: f1(jaccard.upper) }, 'Wilson on TP / (TP + FP + FN), mapped to F1', {
    denominator: cases,
  });
}

/** The figures of one way of reading: its confusion matrix, and `aucInterval` for the AUC of its scores. */
export function figuresOf(m: ConfusionMatrix, aucInterval: () => Interval): DiagnosticFigures {
  const positives = m.tp + m.fn;
  const negatives = m.tn + m.fp;
  return {
    cases: positives + negatives,
    positives,
    negatives,
    sensitivity: proportion(m.tp, positives, 'no case with MBD confirmed by ground truth yet'),
    specificity: proportion(m.tn, negatives, 'no case with MBD ruled out by ground truth yet'),
    auc: aucDelong(m, aucInterval),
    f1: f1WithCi(m),
  };
}

/** Figures of scores that take few values (a reader's 11): from the counts directly, the same interval, to the last bit, as expanding the cases. */
export function diagnosticFigures(groups: readonly ScoredCases[]): DiagnosticFigures {
  return figuresOf(confusionOf(groups), () => delongCiOfCounts(groups.map((g) => ({ score: g.score, label: (g.mbd ? 1 : 0) as Label, n: g.n }))));
}

/**
 * Difference of two independent proportions, p₁ − p₂, with Newcombe's hybrid score interval
 * (Newcombe 1998, method 10), built from each proportion's Wilson interval. Used for the change in
 * specificity and sensitivity between aided and unaided reads.
 */
export function difference(first: Estimate, second: Estimate): Estimate {
  if (first.value === null || second.value === null) return missing(first.reason ?? second.reason ?? 'one of the two proportions is missing');
  const d = first.value - second.value;
  const [p1, l1, u1] = [first.value, first.lower!, first.upper!];
  const [p2, l2, u2] = [second.value, second.lower!, second.upper!];
  return estimate(
    { estimate: d, lower: d - Math.hypot(p1 - l1, u2 - p2), upper: d + Math.hypot(u1 - p1, p2 - l2) },
    'Newcombe hybrid score (from Wilson intervals)',
  );
}
