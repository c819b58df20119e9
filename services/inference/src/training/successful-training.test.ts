/**
 * The training loop end to end on real phantoms, real DICOM and real TensorFlow.js (wasm): a tiny variant
 * pre-trains on lesion patches, trains for a few steps of the paper's recipe, is interrupted, resumes from its
 * checkpoint, learns (loss falls, AUC > 0.8 on its own scans), and writes a whole model version that
 * `evaluate` can report on. Seeded and single-threaded, so the figures are the same on every run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateModel } from '../evaluation/evaluate-model';
import { readModelCard } from '../model/model-card';
import { phantomSet, tempDir } from '../testing/fixtures';
import { trainModel, TrainOptions } from './train-model';

class Interrupted extends Error {}

describe('npm run train on tiny phantoms', () => {
  let training: string;
  beforeAll(async () => {
    training = await phantomSet({ n: 24, prevalence: 0.5, centre: 'A', seed: 21 });
  });

  it('learns (loss falls, AUC > 0.8 on its data), survives an interruption, and writes a whole model version', async () => {
    const out = path.join(tempDir(), 'tiny-model');
    const options: TrainOptions = {
      data: [training],
      out,
      architecture: 'vgg16-tiny',
      epochs: 4,
      stepsPerEpoch: 8,
      batchSize: 4,
      seed: 7,
      learningRate: 2e-3,
      resume: false,
      validationFraction: 0.25,
      backend: 'wasm',
      syntheticData: true,
      lesionPatchSteps: 60,
    };
    // Interrupt at the first step of epoch 2: epoch 1 is checkpointed, no model version exists yet.
    await expect(
      trainModel({
        ...options,
        onProgress: (e) => {
          if (e.phase === 'training' && e.epoch === 2) throw new Interrupted('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(path.join(`${out}.partial`, 'checkpoint', 'state.json'))).toBe(true);

    const { card } = await trainModel({ ...options, resume: true });
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    expect(fs.readdirSync(out).sort()).toEqual(['group1-shard1of1.bin', 'model-card.json', 'model-card.md', 'model.json']);
    expect(readModelCard(out)).toEqual(card);
    const patches = card.training.recipe.lesionPatchPretraining!;
    expect(patches).toMatchObject({ steps: 60, patchSize: 128 });
    expect(patches.lossLastTenth).toBeLessThan(patches.lossFirstTenth);
    const losses = card.training.trainingLossByEpoch!;
    expect(losses).toHaveLength(4);
    expect(losses[3]).toBeLessThan(losses[0]);
    expect(card.training.validationAucByEpoch).toHaveLength(4);
    expect(card.training.counts).toMatchObject({ scans: 24, positives: 12, negatives: 12, training: 18, validation: 6 });
    expect(card.training.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);

    const reportDir = tempDir();
    const report = await evaluateModel({ model: out, data: [training], out: reportDir, resamples: 100, seed: 1, targetSpecificity: 0.8, overlays: 2 });
    expect(report.dataset).toMatchObject({ scans: 24, positives: 12, negatives: 12 });
    expect(report.auc).toBeGreaterThan(0.8);
    expect(report.aucCi.lower).toBeLessThanOrEqual(report.auc);
    expect(report.aucCi.upper).toBeGreaterThanOrEqual(report.auc);
    for (const file of ['report.json', 'report.html', 'roc.svg']) expect(fs.existsSync(path.join(reportDir, file))).toBe(true);
  });
});
