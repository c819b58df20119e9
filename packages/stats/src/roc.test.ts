import { StatisticsError, auc, rocCurve, thresholdForSpecificity, youdenThreshold, createRandom } from './index';
import { Label } from './validate';
import { fromRatingCounts } from './testing/rating-tables';
import { s100bCases } from './testing/asah';

/** Mann–Whitney by definition: compare every positive with every negative. */
function pairwiseMannWhitney(scores: number[], labels: Label[]): number {
  let wins = 0;
  let pairs = 0;
  scores.forEach((x, i) => {
    if (labels[i] !== 1) return;
    scores.forEach((y, j) => {
      if (labels[j] !== 0) return;
      pairs++;
      wins += x > y ? 1 : x === y ? 0.5 : 0;
    });
  });
  return wins / pairs;
}

function trapezoidArea(curve: { fpr: number[]; tpr: number[] }): number {
  let area = 0;
  for (let k = 1; k < curve.fpr.length; k++) area += ((curve.fpr[k] - curve.fpr[k - 1]) * (curve.tpr[k] + curve.tpr[k - 1])) / 2;
  return area;
}

// Hand-computed example with ties across classes.
// positives 0.9, 0.8, 0.8, 0.4; negatives 0.8, 0.5, 0.4, 0.1, 0.1 (20 pairs)
// 0.9 beats 5 → 5; each 0.8 beats 4, ties 1 → 4.5 (×2 = 9); 0.4 beats 2, ties 1 → 2.5. U = 16.5, AUC = 0.825.
const small = {
  scores: [0.9, 0.8, 0.8, 0.4, 0.8, 0.5, 0.4, 0.1, 0.1],
  labels: [1, 1, 1, 1, 0, 0, 0, 0, 0] as Label[],
};

describe('auc', () => {
  it('equals the hand-computed Mann–Whitney U/(n1·n0) with ties counted ½', () => {
    expect(auc(small.scores, small.labels)).toBeCloseTo(16.5 / 20, 15);
  });

  it('reproduces Hanley & McNeil (1982) Table 1: 109 CT images, 5-point ratings, W = 0.893', () => {
    // Radiology 143:29–36. Normal (n=58): 33, 6, 6, 11, 2; abnormal (n=51): 3, 2, 2, 11, 33.
    // By hand: 3·16.5 + 2·(33+3) + 2·(39+3) + 11·(45+5.5) + 33·(56+1) = 2642 of 58·51 = 2958 pairs.
    const { scores, labels } = fromRatingCounts([33, 6, 6, 11, 2], [3, 2, 2, 11, 33]);
    expect(auc(scores, labels)).toBeCloseTo(2642 / 2958, 15);
    expect(auc(scores, labels).toFixed(3)).toBe('0.893');
  });

  it('matches the pairwise definition on tie-heavy random data, and flips to 1 − AUC when labels flip', () => {
    const random = createRandom(7);
    const labels: Label[] = Array.from({ length: 400 }, () => (random() < 0.3 ? 1 : 0));
    const scores = labels.map((y) => Math.round((random() + 0.4 * y) * 10) / 10);
    const area = auc(scores, labels);
    expect(area).toBeCloseTo(pairwiseMannWhitney(scores, labels), 12);
    expect(
      auc(
        scores,
        labels.map((y) => (1 - y) as Label),
      ),
    ).toBeCloseTo(1 - area, 12);
  });

  it('accepts typed arrays, as analytics passes a million scores', () => {
    expect(auc(Float64Array.from(small.scores), small.labels)).toBeCloseTo(0.825, 15);
  });

  it.each([
    ['empty input', [], [], /empty/],
    ['a length mismatch', [0.1, 0.2], [1], /2 values but labels has 1/],
    ['one class only', [0.1, 0.2], [1, 1], /both classes: got 2 positive and 0 negative/],
    ['NaN scores', [0.1, NaN], [1, 0], /scores\[1\] is NaN/],
    ['labels other than 0/1', [0.1, 0.2], [1, 2], /labels\[1\] is 2/],
  ])('rejects %s with a StatisticsError', (_what, scores, labels, message) => {
    expect(() => auc(scores as number[], labels as Label[])).toThrow(StatisticsError);
    expect(() => auc(scores as number[], labels as Label[])).toThrow(message);
  });
});

describe('rocCurve', () => {
  it('steps through each distinct score from the strictest threshold', () => {
    expect(rocCurve(small.scores, small.labels)).toEqual({
      thresholds: [Infinity, 0.9, 0.8, 0.5, 0.4, 0.1],
      tpr: [0, 0.25, 0.75, 0.75, 1, 1],
      fpr: [0, 0, 0.2, 0.4, 0.6, 1],
    });
  });

  it('has trapezoidal area equal to the Mann–Whitney AUC, ties included', () => {
    const { scores, labels } = fromRatingCounts([33, 6, 6, 11, 2], [3, 2, 2, 11, 33]);
    expect(trapezoidArea(rocCurve(scores, labels))).toBeCloseTo(auc(scores, labels), 12);
  });
});

describe('operating thresholds', () => {
  it('youdenThreshold picks the maximum of sensitivity + specificity − 1', () => {
    // J per threshold: 0.9 → .25, 0.8 → .55, 0.5 → .35, 0.4 → .40, 0.1 → 0.
    expect(youdenThreshold(small.scores, small.labels)).toEqual({ threshold: 0.8, sensitivity: 0.75, specificity: 0.8 });
  });

  it('youdenThreshold agrees with pROC coords(roc(aSAH$outcome, aSAH$s100b), "best")', () => {
    // pROC prints threshold 0.205, sensitivity 0.6341463, specificity 0.8055556. pROC reports the
    // midpoint between observed values (0.19 | 0.22); we report the lowest score called positive.
    const { scores, labels } = s100bCases();
    const best = youdenThreshold(scores, labels);
    expect(best.threshold).toBe(0.22);
    expect(best.sensitivity).toBeCloseTo(0.6341463, 7);
    expect(best.specificity).toBeCloseTo(0.8055556, 7);
  });

  it('thresholdForSpecificity returns the most sensitive threshold meeting the target', () => {
    expect(thresholdForSpecificity(small.scores, small.labels, 0.8)).toEqual({ threshold: 0.8, sensitivity: 0.75, specificity: 0.8 });
    expect(thresholdForSpecificity(small.scores, small.labels, 0.9)).toEqual({ threshold: 0.9, sensitivity: 0.25, specificity: 1 });
    expect(thresholdForSpecificity(small.scores, small.labels, 0)).toEqual({ threshold: 0.1, sensitivity: 1, specificity: 0 });
  });

  it('answers +Infinity when no observed score reaches the specificity', () => {
    expect(thresholdForSpecificity([0.9, 0.1], [0, 1], 1)).toEqual({ threshold: Infinity, sensitivity: 0, specificity: 1 });
  });

  it('rejects a target outside [0, 1]', () => {
    expect(() => thresholdForSpecificity(small.scores, small.labels, 1.5)).toThrow(/targetSpecificity must be in \[0, 1\]/);
  });
});
