/** The model card: what a model version is, how it was made, how well it did, and what it is for. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_INPUT, RESEARCH_USE_ONLY } from '@bonescan/clinical';
import { Architecture, isArchitecture } from './architecture';
import { ModelLoadError } from './model-files';

export interface LesionPatchRecord {
  steps: number;
  patchSize: number;
  batchSize: number;
  learningRate: number;
  lossFirstTenth: number;
  lossLastTenth: number;
}

export interface TrainingRecord {
  /** SHA-256 over the sorted training files' bytes and labels: identifies the data a version saw. */
  dataFingerprint: string;
  dataFolders: string[];
  counts: { scans: number; positives: number; negatives: number; training: number; validation: number; byCentre: Record<string, number> };
  recipe: {
    epochs: number;
    stepsPerEpoch: number;
    batchSize: number;
    learningRate: number;
    optimiser: 'adam';
    loss: 'categoricalCrossentropy';
    balancing: string;
    augmentation: string;
    seed: number;
    initialWeights: string;
    /** Lesion-patch pre-training before the recipe (see training/lesion-patches.ts); null when not used. */
    lesionPatchPretraining?: LesionPatchRecord | null;
    validationFraction: number;
    backend: string;
  };
  /** Validation AUC after each epoch; the best epoch's weights are the ones shipped. */
  validationAucByEpoch: number[];
  /** Mean training loss of each epoch (absent on cards written before it was recorded). */
  trainingLossByEpoch?: number[];
  bestEpoch: number;
  durationSeconds: number;
}

export interface ModelCard {
  name: string;
  version: string;
  architecture: Architecture;
  input: { width: 512; height: 512; channels: 3 };
  /** P(MBD) at or above this is an MBD call. */
  threshold: number;
  thresholdMethod: string;
  syntheticData: boolean;
  intendedUse: string;
  createdAt: string;
  training: TrainingRecord;
  metrics: { validation: { auc: number; positives: number; negatives: number }; evaluation?: Record<string, unknown> };
}

export const MODEL_CARD_FILE = 'model-card.json';

export function intendedUseFor(syntheticData: boolean): string {
  const base =
    'Triage aid flagging whole-body bone scans (anterior and posterior views) likely to show metastatic bone disease, ' +
    'with a Grad-CAM heat map for the reader. Every call must be read by a physician.';
  return syntheticData ? `${RESEARCH_USE_ONLY}. Trained on synthetic phantoms. ${base}` : base;
}

export function readModelCard(dir: string): ModelCard {
  const file = path.join(dir, MODEL_CARD_FILE);
  if (!fs.existsSync(file)) throw new ModelLoadError(`no ${MODEL_CARD_FILE} in ${dir}: not a model version folder`);
  let card: ModelCard;
  try {
    card = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelLoadError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  if (!isArchitecture(String(card.architecture))) {
    throw new ModelLoadError(`${file} names an unknown architecture "${card.architecture}"`);
  }
  if (card.input?.width !== MODEL_INPUT.width || card.input?.height !== MODEL_INPUT.height || card.input?.channels !== MODEL_INPUT.channels) {
    throw new ModelLoadError(`${file} describes input ${JSON.stringify(card.input)}, but this platform feeds 512x512x3`);
  }
  if (typeof card.threshold !== 'number' || !(card.threshold >= 0 && card.threshold <= 1)) {
    throw new ModelLoadError(`${file} has no threshold in [0, 1]`);
  }
  return card;
}

export function writeModelCard(dir: string, card: ModelCard): void {
  fs.writeFileSync(path.join(dir, MODEL_CARD_FILE), `${JSON.stringify(card, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'model-card.md'), modelCardMarkdown(card));
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

export function modelCardMarkdown(card: ModelCard): string {
  const t = card.training;
  const r = t.recipe;
  const evaluation = card.metrics.evaluation as
    | { dataset?: string; auc?: number; aucCi?: { lower: number; upper: number }; sensitivity?: number | null; specificity?: number | null; pointingGame?: number | null }
    | undefined;
  const lines = [
    `# Model card — ${card.name} ${card.version}`,
    '',
    card.syntheticData ? `**${RESEARCH_USE_ONLY}.** Trained and evaluated on synthetic phantoms only.` : '',
    '',
    `- Architecture: ${card.architecture} (VGG16 topology: 13 conv in 5 blocks -> GAP -> Dense -> Dense(2, softmax)), input 512x512x3`,
    `- Pre-processing: @bonescan/preprocess (each view 256x512, min–max per view, AP left / PA right, 3 channels)`,
    `- Intended use: ${card.intendedUse}`,
    `- Decision threshold: P(MBD) >= ${card.threshold.toFixed(4)} (${card.thresholdMethod})`,
    `- Created: ${card.createdAt}`,
    '',
    '## Training',
    '',
    `- Data: ${t.counts.scans} scans (${t.counts.positives} MBD, ${t.counts.negatives} no MBD) from ${t.dataFolders.join(', ')}; by centre ${JSON.stringify(t.counts.byCentre)}`,
    `- Data fingerprint (SHA-256): \`${t.dataFingerprint}\``,
    `- Split: ${t.counts.training} training / ${t.counts.validation} validation (stratified, seeded, fraction ${r.validationFraction})`,
    `- Recipe: ${r.epochs} epochs x ${r.stepsPerEpoch} steps, batch ${r.batchSize}, Adam lr ${r.learningRate}, categorical cross-entropy; ${r.balancing}; ${r.augmentation}; seed ${r.seed}; initial weights: ${r.initialWeights}; backend ${r.backend}`,
    r.lesionPatchPretraining
      ? `- Lesion-patch pre-training: ${r.lesionPatchPretraining.steps} steps x ${r.lesionPatchPretraining.batchSize} patches of ${r.lesionPatchPretraining.patchSize}x${r.lesionPatchPretraining.patchSize} (half with a metastasis near the centre, half without: skeleton or benign findings), Adam lr ${r.lesionPatchPretraining.learningRate}; patch loss ${r.lesionPatchPretraining.lossFirstTenth.toFixed(3)} (first tenth) -> ${r.lesionPatchPretraining.lossLastTenth.toFixed(3)} (last tenth)`
      : '',
    `- Validation AUC by epoch: ${t.validationAucByEpoch.map((a) => a.toFixed(3)).join(', ')} (best: epoch ${t.bestEpoch}, kept)`,
    t.trainingLossByEpoch ? `- Training loss by epoch: ${t.trainingLossByEpoch.map((l) => l.toFixed(4)).join(', ')}` : '',
    `- Training time: ${(t.durationSeconds / 60).toFixed(1)} min`,
    '',
    '## Metrics',
    '',
    `- Validation AUC ${card.metrics.validation.auc.toFixed(3)} (${card.metrics.validation.positives} MBD / ${card.metrics.validation.negatives} no MBD)`,
  ];
  if (evaluation?.auc !== undefined) {
    lines.push(
      `- Evaluation on ${evaluation.dataset}: AUC ${evaluation.auc.toFixed(3)}` +
        (evaluation.aucCi ? ` (95 % CI ${evaluation.aucCi.lower.toFixed(3)}–${evaluation.aucCi.upper.toFixed(3)})` : '') +
        (evaluation.sensitivity != null ? `, sensitivity ${pct(evaluation.sensitivity)}` : '') +
        (evaluation.specificity != null ? `, specificity ${pct(evaluation.specificity)}` : '') +
        (evaluation.pointingGame != null ? `, pointing game ${pct(evaluation.pointingGame)} of true positives` : ''),
      '- Full report: report.html / report.json',
    );
  }
  return `${lines.join('\n')}\n`;
}
