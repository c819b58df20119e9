/** The model card: what a model version is, how it was made, how well it did, and what it is for. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESEARCH_USE_ONLY } from '@bonescan/clinical';
import { MODEL_CARD_FILE, ModelCardError, readModelCard as readCheckedCard, type ModelCard } from '@bonescan/db';
import { ModelLoadError } from './model-files';

export { MODEL_CARD_FILE };
export type { ModelCard, TrainingRecord } from '@bonescan/db';

export function intendedUseFor(syntheticData: boolean): string {
  const base =
    'Triage aid flagging whole-body bone scans (anterior and posterior views) likely to show metastatic bone disease, ' +
    'with a Grad-CAM heat map for the reader. Every call must be read by a physician.';
  return syntheticData ? `${RESEARCH_USE_ONLY}. Trained on synthetic phantoms. ${base}` : base;
}

/** The card of a model folder, checked as the API checks it before registering; a bad card cannot be loaded. */
export function readModelCard(dir: string): ModelCard {
  try {
    return readCheckedCard(dir);
  } catch (error) {
    if (error instanceof ModelCardError) throw new ModelLoadError(error.message);
    throw error;
  }
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
    | {
        dataset?: string;
        auc?: number;
        aucCi?: { lower: number; upper: number };
        sensitivity?: number | null;
        specificity?: number | null;
        pointingGame?: number | null;
      }
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
