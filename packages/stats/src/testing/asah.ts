import { fromRatingCounts } from './rating-tables';

/*
 * Reference values: R package pROC (Robin et al. 2011, BMC Bioinformatics 12:77), dataset aSAH
 * (113 patients after aneurysmal subarachnoid haemorrhage: 72 Good, 41 Poor outcome; Turck et al. 2010).
 * pROC's own test suite pins var(roc(aSAH$outcome, aSAH$wfns)) = 0.00146991470882363 and
 * var(roc(aSAH$outcome, aSAH$s100b)) = 0.00266868245717244 (DeLong method), with AUCs
 * 0.82367886178861793 and 0.73136856368563685.
 * The per-value case counts below were read off pROC's expected ROC curves for these markers
 * (each step in sensitivity/specificity = the Poor/Good cases at one distinct value). DeLong's
 * variance depends only on the ordering of values, so these tables reproduce the data exactly.
 */

/** WFNS grade 1–5: [Good, Poor] counts. */
export const WFNS_GOOD = [37, 20, 3, 8, 4];
export const WFNS_POOR = [2, 12, 1, 8, 18];

/** S100B (µg/L): [value, Poor, Good]. */
export const S100B: [number, number, number][] = [
  [0.03, 1, 0],
  [0.04, 0, 5],
  [0.05, 0, 3],
  [0.06, 0, 2],
  [0.07, 3, 6],
  [0.08, 1, 6],
  [0.09, 2, 6],
  [0.1, 2, 7],
  [0.11, 1, 4],
  [0.12, 1, 0],
  [0.13, 2, 3],
  [0.14, 1, 4],
  [0.15, 0, 4],
  [0.16, 1, 3],
  [0.17, 0, 2],
  [0.18, 0, 1],
  [0.19, 0, 2],
  [0.22, 1, 0],
  [0.23, 1, 0],
  [0.24, 0, 1],
  [0.25, 1, 0],
  [0.26, 1, 0],
  [0.27, 1, 0],
  [0.28, 0, 1],
  [0.3, 1, 0],
  [0.32, 1, 1],
  [0.33, 1, 1],
  [0.34, 0, 1],
  [0.35, 1, 0],
  [0.38, 0, 1],
  [0.41, 1, 0],
  [0.43, 0, 1],
  [0.44, 2, 0],
  [0.45, 0, 1],
  [0.46, 0, 1],
  [0.47, 0, 2],
  [0.48, 1, 1],
  [0.49, 1, 0],
  [0.5, 0, 2],
  [0.52, 1, 0],
  [0.56, 1, 0],
  [0.58, 1, 0],
  [0.7, 1, 0],
  [0.71, 2, 0],
  [0.74, 1, 0],
  [0.77, 1, 0],
  [0.82, 1, 0],
  [0.86, 1, 0],
  [0.96, 1, 0],
  [2.07, 1, 0],
];

/** aSAH outcome (Poor = 1) against WFNS grade. */
export function wfnsCases() {
  return fromRatingCounts(WFNS_GOOD, WFNS_POOR);
}

/** aSAH outcome (Poor = 1) against S100B. */
export function s100bCases() {
  return fromRatingCounts(
    S100B.map(([, , good]) => good),
    S100B.map(([, poor]) => poor),
    S100B.map(([value]) => value),
  );
}
