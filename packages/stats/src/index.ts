/**
 * @bonescan/stats — the statistics behind the platform's analytics and the paper's
 * reader-study analysis: ROC/AUC, DeLong variance and paired test, seeded bootstrap,
 * sensitivity/specificity with Wilson intervals, Cohen's and Fleiss' κ, calibration.
 * Pure TypeScript, no dependencies. Bad input throws StatisticsError; figures that
 * are undefined on valid input (e.g. specificity with no negatives) are null, never NaN.
 */
export { StatisticsError } from './errors';
export type { Label } from './validate';
export { createRandom } from './random';
export { normalCdf, normalQuantile } from './normal';
export { median, quantile, iqr, medianWithQuartiles } from './descriptive';
export { auc, rocCurve, youdenThreshold, thresholdForSpecificity } from './roc';
export type { RocCurve, OperatingPoint, ScoreCount } from './roc';
export { delong, delongCi, delongCiOfCounts, delongPairedTest } from './delong';
export type { PairedAucTest } from './delong';
export { bootstrapCi, aucCi, DEFAULT_RESAMPLES, DEFAULT_SEED } from './bootstrap';
export type { BootstrapOptions, BootstrapInterval } from './bootstrap';
export { confusionMatrix, diagnosticRates, wilsonInterval } from './diagnostic';
export type { ConfusionMatrix, DiagnosticRates, Interval } from './diagnostic';
export { cohenKappa, cohenKappaFromTable, fleissKappa } from './agreement';
export type { CohenKappa, FleissKappa } from './agreement';
export { calibration } from './calibration';
export type { Calibration, CalibrationBin } from './calibration';
