import { parseArgs } from 'node:util';
import { isArchitecture, ARCHITECTURES } from '../model/architecture';
import { PAPER_RECIPE, trainModel } from '../training/train-model';
import { commandLine, ProgressLine } from '@bonescan/logger';
import { runCli, numberOption, UsageError } from './run-cli';

const TRAIN = commandLine({
  invocation: 'npm run train --',
  synopsis:
    '--data <folder> [--data <folder>] --out <dir> [--arch vgg16|vgg16-compact] [--weights <ImageNet tfjs folder>] ' +
    '[--epochs 6] [--steps 200] [--batch 4] [--lr 0.0001] [--seed 1] [--validation 0.15] [--backend wasm|cpu|tensorflow|tensorflow-gpu] ' +
    '[--lesion-patches <steps>] [--resume] [--real-data]',
  purpose: 'Trains a model version with the paper’s recipe on folders of DICOM scans with labels.csv, and writes it with its model card to --out.',
});

runCli(TRAIN, async () => {
  const { values } = parseArgs({
    args: TRAIN.arguments(),
    options: {
      data: { type: 'string', multiple: true },
      out: { type: 'string' },
      arch: { type: 'string', default: 'vgg16' },
      weights: { type: 'string' },
      epochs: { type: 'string', default: String(PAPER_RECIPE.epochs) },
      steps: { type: 'string', default: String(PAPER_RECIPE.stepsPerEpoch) },
      // Batch-normalised vgg16-compact at 512 x 512 runs out of wasm memory at 8 ("memory access out of bounds"); 4 fits. A GPU takes more.
      batch: { type: 'string', default: '4' },
      lr: { type: 'string', default: String(PAPER_RECIPE.learningRate) },
      seed: { type: 'string', default: '1' },
      validation: { type: 'string', default: '0.15' },
      backend: { type: 'string' },
      'lesion-patches': { type: 'string', default: '0' },
      resume: { type: 'boolean', default: false },
      'real-data': { type: 'boolean', default: false },
    },
  });
  if (!values.data?.length) throw new UsageError('--data <folder of DICOM + labels.csv> is required');
  if (!values.out) throw new UsageError('--out <model version folder> is required');
  if (!isArchitecture(values.arch!)) throw new UsageError(`--arch must be one of ${ARCHITECTURES.join(', ')}`);
  let bar: ProgressLine | undefined;
  const result = await trainModel({
    data: values.data,
    out: values.out,
    architecture: values.arch,
    weights: values.weights,
    epochs: numberOption('epochs', values.epochs!, { integer: true, min: 1 }),
    stepsPerEpoch: numberOption('steps', values.steps!, { integer: true, min: 1 }),
    batchSize: numberOption('batch', values.batch!, { integer: true, min: 1 }),
    learningRate: numberOption('lr', values.lr!, { min: 1e-8 }),
    seed: numberOption('seed', values.seed!, { integer: true, min: 0 }),
    validationFraction: numberOption('validation', values.validation!, { min: 0.01, max: 0.5 }),
    backend: values.backend,
    lesionPatchSteps: numberOption('lesion-patches', values['lesion-patches']!, { integer: true, min: 0 }),
    resume: values.resume!,
    syntheticData: !values['real-data'],
    onProgress: (event) => {
      if (event.phase === 'reading') {
        if (event.done === 1) bar = new ProgressLine('reading scans', event.total);
        bar!.update(event.done);
      } else if (event.phase === 'pretraining') {
        if (event.step === 1) bar = new ProgressLine('lesion patches', event.steps);
        bar!.update(event.step, `loss ${event.loss.toFixed(4)}`);
      } else if (event.phase === 'training') {
        if (event.step === 1) bar = new ProgressLine(`epoch ${event.epoch}/${event.epochs}`, event.steps);
        bar!.update(event.step, `loss ${event.loss.toFixed(4)}`);
      } else {
        process.stderr.write(`epoch ${event.epoch}: validation AUC ${event.auc.toFixed(4)}${event.best ? ' (best so far, kept)' : ''}\n`);
      }
    },
  });
  process.stdout.write(
    `model version written to ${result.dir}: validation AUC ${result.card.metrics.validation.auc.toFixed(4)} (epoch ${result.card.training.bestEpoch}), threshold ${result.card.threshold.toFixed(4)}\n`,
  );
});
