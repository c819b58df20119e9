/**
 * Evaluation with the reference study's metrics: AUC with a 95 % bootstrap CI, TPR/TNR/FPR/FNR, confusion
 * matrix and F1 at the model's threshold; thresholds by Youden and for a target specificity; calibration;
 * the ROC curve; Grad-CAM overlays of positive calls; and, where lesion masks exist, the pointing game on
 * true positives. All statistics come from @bonescan/stats.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  auc,
  aucCi,
  calibration,
  confusionMatrix,
  diagnosticRates,
  rocCurve,
  thresholdForSpecificity,
  youdenThreshold,
  type BootstrapInterval,
  type Calibration,
  type ConfusionMatrix,
  type DiagnosticRates,
  type Label,
  type OperatingPoint,
} from '@bonescan/stats';
import { callsMbd } from '../model/architecture';
import { loadModelVersion } from '../model/loaded-model';
import type { Hotspot } from '../model/hotspots';
import { readModelCard, writeModelCard, MODEL_CARD_FILE } from '../model/model-card';
import { readLabelledFolders, TrainingDataError, countByCentre } from '../training/labelled-folder';
import { expandChannels, readScanPlane } from '../training/scan-input';
import { overlayPng } from './overlay';
import { pointingHit } from './pointing-game';
import { rocSvg } from './roc-svg';
import { reportHtml } from './report-html';
import { readLesionMasks, type LesionMasks } from '../training/lesion-masks';

export interface EvaluateOptions {
  model: string;
  data: string[];
  /** Where report.json, report.html, roc.svg and overlays/ go; default the model folder. */
  out?: string;
  resamples: number;
  seed: number;
  targetSpecificity: number;
  /** At most this many overlay PNGs (positive calls, most confident first). */
  overlays: number;
  backend?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface CaseResult {
  caseId: string;
  centre: string;
  mbd: Label;
  probability: number;
  call: Label;
  /** For positive calls: Grad-CAM hotspots, and whether the map's maximum hit a lesion (true positives with masks). */
  hotspots?: Hotspot[];
  pointingHit?: boolean;
}

export interface EvaluationReport {
  model: { name: string; version: string; architecture: string; threshold: number };
  dataset: { folders: string[]; scans: number; positives: number; negatives: number; byCentre: Record<string, number> };
  backend: string;
  auc: number;
  aucCi: BootstrapInterval;
  atModelThreshold: { threshold: number; confusionMatrix: ConfusionMatrix; rates: DiagnosticRates };
  youden: OperatingPoint;
  atTargetSpecificity: OperatingPoint & { target: number };
  calibration: Calibration;
  pointingGame: { truePositivesWithMasks: number; hits: number; rate: number | null; tolerancePx: number };
  msPerScan: { predict: number; gradCam: number | null };
  cases: CaseResult[];
  createdAt: string;
}

export async function evaluateModel(options: EvaluateOptions): Promise<EvaluationReport> {
  const cases = readLabelledFolders(options.data);
  const positives = cases.filter((c) => c.mbd === 1).length;
  if (positives === 0 || positives === cases.length) {
    throw new TrainingDataError(`evaluation needs both classes; the data has ${positives} MBD and ${cases.length - positives} no-MBD scans`);
  }
  const loaded = await loadModelVersion(options.model, options.backend);
  const out = options.out ?? options.model;
  try {
    const threshold = loaded.card.threshold;
    const results: CaseResult[] = [];
    const planes = new Map<string, Float32Array>();
    let predictMs = 0;
    for (const [i, c] of cases.entries()) {
      const plane = await readScanPlane(c);
      const started = performance.now();
      const [probability] = await loaded.predict([expandChannels(plane)]);
      predictMs += performance.now() - started;
      const call: Label = callsMbd(probability, threshold) ? 1 : 0;
      if (call === 1) planes.set(c.caseId, plane);
      results.push({ caseId: c.caseId, centre: c.centre, mbd: c.mbd, probability, call });
      options.onProgress?.(i + 1, cases.length * 2);
    }
    // Grad-CAM for positive calls, as the paper showed them; explain() repeats the feature pass on purpose so
    // the Grad-CAM time reported per scan is what the worker pays.
    const overlaysDir = path.join(out, 'overlays');
    fs.rmSync(overlaysDir, { recursive: true, force: true });
    fs.mkdirSync(overlaysDir, { recursive: true });
    const positiveCalls = results.filter((r) => r.call === 1).sort((a, b) => b.probability - a.probability);
    let gradCamMs = 0;
    let tpWithMasks = 0;
    let hits = 0;
    for (const [i, r] of positiveCalls.entries()) {
      const plane = planes.get(r.caseId)!;
      const started = performance.now();
      const { heatmap, hotspots } = await loaded.explain(expandChannels(plane), threshold);
      gradCamMs += performance.now() - started;
      r.hotspots = hotspots;
      const masks: LesionMasks | undefined = r.mbd === 1 ? readLesionMasks(cases.find((c) => c.caseId === r.caseId)!) : undefined;
      if (masks) {
        r.pointingHit = pointingHit(heatmap, masks);
        tpWithMasks++;
        if (r.pointingHit) hits++;
      }
      if (i < options.overlays) fs.writeFileSync(path.join(overlaysDir, `${r.caseId}.png`), overlayPng(plane, heatmap));
      options.onProgress?.(cases.length + Math.round(((i + 1) / positiveCalls.length) * cases.length), cases.length * 2);
    }
    options.onProgress?.(cases.length * 2, cases.length * 2);

    const scores = results.map((r) => r.probability);
    const labels = results.map((r) => r.mbd);
    const matrix = confusionMatrix(
      results.map((r) => r.call),
      labels,
    );
    const report: EvaluationReport = {
      model: { name: loaded.card.name, version: loaded.card.version, architecture: loaded.card.architecture, threshold },
      dataset: {
        folders: options.data.map((d) => path.basename(path.resolve(d))),
        scans: cases.length,
        positives,
        negatives: cases.length - positives,
        byCentre: countByCentre(cases),
      },
      backend: loaded.backend,
      auc: auc(scores, labels),
      aucCi: aucCi(scores, labels, { resamples: options.resamples, seed: options.seed }),
      atModelThreshold: { threshold, confusionMatrix: matrix, rates: diagnosticRates(matrix) },
      youden: youdenThreshold(scores, labels),
      atTargetSpecificity: { ...thresholdForSpecificity(scores, labels, options.targetSpecificity), target: options.targetSpecificity },
      calibration: calibration(scores, labels),
      pointingGame: { truePositivesWithMasks: tpWithMasks, hits, rate: tpWithMasks > 0 ? hits / tpWithMasks : null, tolerancePx: 15 },
      msPerScan: { predict: predictMs / cases.length, gradCam: positiveCalls.length > 0 ? gradCamMs / positiveCalls.length : null },
      cases: results,
      createdAt: new Date().toISOString(),
    };
    writeReport(out, report, rocCurve(scores, labels));
    if (path.resolve(out) === path.resolve(options.model) && fs.existsSync(path.join(options.model, MODEL_CARD_FILE))) {
      recordOnCard(options.model, report);
    }
    return report;
  } finally {
    loaded.dispose();
  }
}

function writeReport(out: string, report: EvaluationReport, curve: ReturnType<typeof rocCurve>): void {
  fs.mkdirSync(out, { recursive: true });
  const point = report.atModelThreshold.rates;
  const svg = rocSvg(
    curve,
    `${report.model.name}: AUC ${report.auc.toFixed(3)} on ${report.dataset.scans} scans`,
    point.fpr !== null && point.sensitivity !== null
      ? { fpr: point.fpr, tpr: point.sensitivity, label: `threshold ${report.model.threshold.toFixed(2)}` }
      : undefined,
  );
  fs.writeFileSync(path.join(out, 'roc.svg'), svg);
  fs.writeFileSync(path.join(out, 'report.json'), `${JSON.stringify({ ...report, roc: curve }, (_k, v) => (v === Infinity ? 'Infinity' : v), 2)}\n`);
  fs.writeFileSync(path.join(out, 'report.html'), reportHtml(report, svg));
}

/** Keeps the card's summary in step with the report written next to it. */
function recordOnCard(dir: string, report: EvaluationReport): void {
  const card = readModelCard(dir);
  const rates = report.atModelThreshold.rates;
  card.metrics.evaluation = {
    dataset: `${report.dataset.scans} scans from ${report.dataset.folders.join(', ')} (centres ${Object.keys(report.dataset.byCentre).join(', ')})`,
    auc: report.auc,
    aucCi: { lower: report.aucCi.lower, upper: report.aucCi.upper, resamples: report.aucCi.resamples },
    sensitivity: rates.sensitivity,
    specificity: rates.specificity,
    f1: rates.f1,
    ece: report.calibration.ece,
    pointingGame: report.pointingGame.rate,
    evaluatedAt: report.createdAt,
  };
  writeModelCard(dir, card);
}
