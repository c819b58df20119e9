import { Label } from '../validate';

/**
 * Expands a table of case counts per ordinal rating into (scores, labels), so a
 * published rating table can be fed to the score-level functions.
 * ratings[k] is the score of row k; negatives[k] / positives[k] its case counts.
 */
export function fromRatingCounts(
  negatives: number[],
  positives: number[],
  ratings: number[] = negatives.map((_, k) => k + 1),
): { scores: number[]; labels: Label[] } {
  const scores: number[] = [];
  const labels: Label[] = [];
  const add = (counts: number[], label: Label) =>
    counts.forEach((n, k) => {
      for (let c = 0; c < n; c++) {
        scores.push(ratings[k]);
        labels.push(label);
      }
    });
  add(negatives, 0);
  add(positives, 1);
  return { scores, labels };
}
