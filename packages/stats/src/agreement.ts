import { StatisticsError } from './errors';
import { zForAlpha } from './normal';
import { requireAlpha, requireCount, requireNonEmpty, requireSameLength } from './validate';

export interface CohenKappa {
  kappa: number;
  /** Large-sample (non-null) standard error, Fleiss, Cohen & Everitt 1969; SAS calls it ASE. */
  standardError: number;
  /** Wald confidence limits, kappa ± z·SE. */
  lower: number;
  upper: number;
  /** Observed proportion of agreement, pₒ. */
  observed: number;
  /** Agreement expected by chance from the two raters' marginals, pₑ. */
  expected: number;
}

function requireSquareCounts(table: number[][]): number {
  requireNonEmpty('agreement table', table);
  let total = 0;
  table.forEach((row, i) => {
    if (row.length !== table.length) {
      throw new StatisticsError(`agreement table must be square: row ${i} has ${row.length} cells, expected ${table.length}`);
    }
    row.forEach((cell, j) => {
      requireCount(`agreement table[${i}][${j}]`, cell);
      total += cell;
    });
  });
  if (total === 0) throw new StatisticsError('agreement table holds no cases');
  return total;
}

/**
 * Cohen's κ from a k×k table of counts: rows = rater A's category, columns = rater B's.
 * Throws when both raters put every case in one and the same category (pₑ = 1),
 * where κ is 0/0.
 */
export function cohenKappaFromTable(table: number[][], alpha = 0.05): CohenKappa {
  requireAlpha(alpha);
  const n = requireSquareCounts(table);
  const k = table.length;
  const p = table.map((row) => row.map((cell) => cell / n));
  const rowShare = p.map((row) => row.reduce((s, x) => s + x, 0));
  const columnShare = p[0].map((_, j) => p.reduce((s, row) => s + row[j], 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    observed += p[i][i];
    expected += rowShare[i] * columnShare[i];
  }
  if (expected > 1 - 1e-12) {
    throw new StatisticsError('kappa is undefined: both raters used a single, identical category for every case');
  }
  const kappa = (observed - expected) / (1 - expected);
  // Fleiss, Cohen & Everitt (1969) variance, the form SAS PROC FREQ reports as ASE.
  let onDiagonal = 0;
  let offDiagonal = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      if (i === j) onDiagonal += p[i][i] * (1 - (rowShare[i] + columnShare[i]) * (1 - kappa)) ** 2;
      else offDiagonal += p[i][j] * (columnShare[i] + rowShare[j]) ** 2;
    }
  }
  const spread = onDiagonal + (1 - kappa) ** 2 * offDiagonal - (kappa - expected * (1 - kappa)) ** 2;
  const standardError = Math.sqrt(Math.max(0, spread)) / ((1 - expected) * Math.sqrt(n));
  const z = zForAlpha(alpha);
  return { kappa, standardError, lower: kappa - z * standardError, upper: kappa + z * standardError, observed, expected };
}

/**
 * Cohen's κ between two raters who each labelled the same cases (e.g. the AI's
 * call and the reader's verdict), with a (1 − alpha) confidence interval.
 */
export function cohenKappa(a: readonly string[], b: readonly string[], alpha = 0.05): CohenKappa {
  requireNonEmpty('ratings of rater A', a);
  requireSameLength('ratings of rater A', a, 'ratings of rater B', b);
  const categories = [...new Set([...a, ...b])];
  const index = new Map(categories.map((c, i) => [c, i] as const));
  const table = categories.map(() => categories.map(() => 0));
  for (let i = 0; i < a.length; i++) table[index.get(a[i])!][index.get(b[i])!]++;
  return cohenKappaFromTable(table, alpha);
}

export interface FleissKappa {
  kappa: number;
  /** κ for each category vs the rest (Fleiss 1971 eq. 14); null for a category nobody (or everybody) used. */
  perCategory: (number | null)[];
}

/**
 * Fleiss' κ for many raters (Fleiss 1971). counts[i][j] = how many raters put
 * subject i in category j; every subject must have the same number (≥ 2) of ratings.
 */
export function fleissKappa(counts: number[][]): FleissKappa {
  requireNonEmpty('counts', counts);
  const categories = counts[0].length;
  if (categories < 2) throw new StatisticsError('fleissKappa needs at least 2 categories');
  const raters = counts[0].reduce((s, x) => s + x, 0);
  counts.forEach((row, i) => {
    if (row.length !== categories) throw new StatisticsError(`counts row ${i} has ${row.length} categories, expected ${categories}`);
    row.forEach((x, j) => requireCount(`counts[${i}][${j}]`, x));
    const total = row.reduce((s, x) => s + x, 0);
    if (total !== raters) throw new StatisticsError(`subject ${i} has ${total} ratings but subject 0 has ${raters}; all must be equal`);
  });
  if (raters < 2) throw new StatisticsError(`fleissKappa needs at least 2 ratings per subject, got ${raters}`);
  const subjects = counts.length;
  const share = new Array<number>(categories).fill(0);
  const disagreement = new Array<number>(categories).fill(0);
  let observed = 0;
  for (const row of counts) {
    let agreeingPairs = 0;
    row.forEach((x, j) => {
      share[j] += x / (subjects * raters);
      disagreement[j] += x * (raters - x);
      agreeingPairs += x * (x - 1);
    });
    observed += agreeingPairs / (raters * (raters - 1) * subjects);
  }
  const expected = share.reduce((s, p) => s + p * p, 0);
  if (expected > 1 - 1e-12) throw new StatisticsError('kappa is undefined: every rating fell in one category');
  const perCategory = share.map((p, j) => (p > 0 && p < 1 ? 1 - disagreement[j] / (subjects * raters * (raters - 1) * p * (1 - p)) : null));
  return { kappa: (observed - expected) / (1 - expected), perCategory };
}
