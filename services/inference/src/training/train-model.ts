/**
 * The reference study's training recipe (DESIGN §2): each epoch all positives plus as many negatives drawn
 * afresh, horizontal flips (AP and PA swap sides), Adam, categorical cross-entropy; validation AUC after every
 * epoch and the best epoch kept. The model version is assembled in <out>.partial and renamed to <out> only
 * when complete, so a failed or interrupted run never leaves something that looks like a model version.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '@bonescan/clinical';
import { createLogger } from '@bonescan/logger';
import { auc, createRandom, youdenThreshold } from '@bonescan/stats';
import { Architecture, buildClassifier, CLASS_NAMES } from '../model/architecture';
import { selectBackend } from '../model/backend';
import { loadImagenetWeights } from '../model/imagenet-weights';
import { ModelCard, intendedUseFor, writeModelCard } from '../model/model-card';
import { saveLayersModelToFolder } from '../model/model-files';
import { predictProbabilities } from '../model/loaded-model';
import { readCheckpoint, writeCheckpoint, LoopState } from './checkpoint';
import { LabelledCase, TrainingDataError, countByCentre, fingerprintOf, readLabelledFolders } from './labelled-folder';
import { expandChannels, readScanPlane } from './scan-input';
import { lesionPlane, METASTASIS, readLesionMasks } from './lesion-masks';
import { LesionPatchSampler, PATCH_PRETRAINING, pretrainOnLesionPatches } from './lesion-patches';

const logger = createLogger('inference');

export interface TrainOptions {
  data: string[];
  out: string;
  architecture: Architecture;
  epochs: number;
  stepsPerEpoch: number;
  batchSize: number;
  seed: number;
  learningRate: number;
  /** Folder of Keras VGG16 ImageNet weights in tfjs layers format. */
  weights?: string;
  resume: boolean;
  validationFraction: number;
  /** Steps of lesion-patch pre-training before the paper's recipe (0: none); needs lesion masks for every case. */
  lesionPatchSteps: number;
  /** Backend name (see selectBackend); default INFERENCE_BACKEND or the first installed. */
  backend?: string;
  syntheticData: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { phase: 'reading'; done: number; total: number }
  | { phase: 'pretraining'; step: number; steps: number; loss: number }
  | { phase: 'training'; epoch: number; epochs: number; step: number; steps: number; loss: number }
  | { phase: 'validated'; epoch: number; auc: number; best: boolean };

export interface TrainResult {
  dir: string;
  card: ModelCard;
}

export const PAPER_RECIPE = { epochs: 6, stepsPerEpoch: 200, learningRate: 1e-4 } as const;

const PLANE = MODEL_INPUT.width * MODEL_INPUT.height;
const INPUT_LENGTH = PLANE * MODEL_INPUT.channels;

interface Split {
  training: LabelledCase[];
  validation: LabelledCase[];
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Stratified: the same fraction of positives and of negatives goes to validation, at least one of each. */
function splitCases(cases: LabelledCase[], fraction: number, seed: number): Split {
  const random = createRandom(seed);
  const split: Split = { training: [], validation: [] };
  for (const label of [0, 1]) {
    const group = shuffle(
      cases.filter((c) => c.mbd === label),
      random,
    );
    const n = Math.min(group.length - 1, Math.max(1, Math.round(group.length * fraction)));
    split.validation.push(...group.slice(0, n));
    split.training.push(...group.slice(n));
  }
  return split;
}

function checkClasses(cases: LabelledCase[]): void {
  const positives = cases.filter((c) => c.mbd === 1).length;
  const negatives = cases.length - positives;
  if (positives < 2 || negatives < 2) {
    throw new TrainingDataError(`training needs both classes, at least 2 scans each; the data has ${positives} MBD and ${negatives} no-MBD scans`);
  }
}

/** The paper's balancing: all positives, and as many negatives drawn afresh for this epoch, shuffled. */
function epochCases(training: LabelledCase[], random: () => number): LabelledCase[] {
  const positives = training.filter((c) => c.mbd === 1);
  const negatives = shuffle(
    training.filter((c) => c.mbd === 0),
    random,
  ).slice(0, positives.length);
  return shuffle([...positives, ...negatives], random);
}

function batchTensors(cases: LabelledCase[], planes: Map<string, Float32Array>, random: () => number) {
  const data = new Float32Array(cases.length * INPUT_LENGTH);
  cases.forEach((c, i) => expandChannels(planes.get(c.caseId)!, random() < 0.5, data.subarray(i * INPUT_LENGTH, (i + 1) * INPUT_LENGTH)));
  const xs = tf.tensor4d(data, [cases.length, MODEL_INPUT.height, MODEL_INPUT.width, MODEL_INPUT.channels]);
  const ys = tf.oneHot(
    tf.tensor1d(
      cases.map((c) => c.mbd),
      'int32',
    ),
    CLASS_NAMES.length,
  );
  return { xs, ys };
}

function validationProbabilities(model: tf.LayersModel, cases: LabelledCase[], planes: Map<string, Float32Array>): number[] {
  const out: number[] = [];
  for (let i = 0; i < cases.length; i += 8) {
    out.push(
      ...predictProbabilities(
        model,
        cases.slice(i, i + 8).map((c) => expandChannels(planes.get(c.caseId)!)),
      ),
    );
  }
  return out;
}

/** What a checkpoint must share with the run resuming it. Not --epochs: a resumed run may stop sooner or go on. */
function runKeyOf(options: TrainOptions, fingerprint: string): string {
  const { architecture, stepsPerEpoch, batchSize, seed, learningRate, weights, validationFraction, lesionPatchSteps } = options;
  return crypto
    .createHash('sha256')
    .update(
      JSON.stringify({
        fingerprint,
        architecture,
        stepsPerEpoch,
        batchSize,
        seed,
        learningRate,
        weights: weights ?? null,
        validationFraction,
        lesionPatchSteps,
      }),
    )
    .digest('hex');
}

/** Everything that can be wrong with the inputs is found here, before any folder is created. */
async function prepare(options: TrainOptions) {
  if (fs.existsSync(options.out)) throw new TrainingDataError(`model version folder ${options.out} already exists; choose another --out`);
  const partial = `${options.out}.partial`;
  if (fs.existsSync(partial) && !options.resume) {
    throw new TrainingDataError(`an interrupted training run is in ${partial}; pass --resume to continue it, or delete it`);
  }
  if (!fs.existsSync(partial) && options.resume) throw new TrainingDataError(`nothing to resume: ${partial} does not exist`);
  const cases = readLabelledFolders(options.data);
  checkClasses(cases);
  const lesions = options.lesionPatchSteps > 0 ? readAllLesionMasks(cases) : undefined;
  const backend = await selectBackend(options.backend);
  const model = buildClassifier(options.architecture, options.seed);
  try {
    if (options.weights) loadImagenetWeights(model, options.weights);
    const planes = new Map<string, Float32Array>();
    for (const [i, c] of cases.entries()) {
      planes.set(c.caseId, await readScanPlane(c));
      options.onProgress?.({ phase: 'reading', done: i + 1, total: cases.length });
    }
    return { cases, backend, model, planes, lesions, partial, fingerprint: fingerprintOf(cases) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Every case's masks in the model plane's layout; lesion-patch pre-training cannot run on part of the data. */
function readAllLesionMasks(cases: LabelledCase[]): Map<string, Uint8Array> {
  const planes = new Map<string, Uint8Array>();
  for (const c of cases) {
    const masks = readLesionMasks(c);
    if (!masks) throw new TrainingDataError(`--lesion-patches needs lesion masks for every case; ${c.caseId} has no masks/${c.caseId}-AP.png and -PA.png`);
    planes.set(c.caseId, lesionPlane(masks));
  }
  if (![...planes.values()].some((plane) => plane.includes(METASTASIS))) {
    throw new TrainingDataError('--lesion-patches needs masks that mark metastases; no mask marks any');
  }
  return planes;
}

/** Lesion-patch pre-training on the training split only: validation scans stay unseen until validation. */
function pretrain(
  model: tf.LayersModel,
  options: TrainOptions,
  training: LabelledCase[],
  planes: Map<string, Float32Array>,
  lesions: Map<string, Uint8Array>,
): number[] {
  const sources = training.map((c) => ({ plane: planes.get(c.caseId)!, lesions: lesions.get(c.caseId)! }));
  const sampler = new LesionPatchSampler(sources, createRandom(options.seed * 1000));
  return pretrainOnLesionPatches(model, sampler, {
    architecture: options.architecture,
    steps: options.lesionPatchSteps,
    seed: options.seed,
    onStep: (step, loss) => options.onProgress?.({ phase: 'pretraining', step, steps: options.lesionPatchSteps, loss }),
  });
}

function initialWeightsOf(options: TrainOptions): string {
  const start = options.weights ? `ImageNet (${path.basename(path.resolve(options.weights))}) for the convolutional base` : 'random (He normal, seeded)';
  return options.lesionPatchSteps > 0 ? `${start}, then ${options.lesionPatchSteps} steps of lesion-patch pre-training` : start;
}

const meanOf = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const started = Date.now();
  const prepared = await prepare(options);
  const { cases, backend, planes, lesions, partial, fingerprint } = prepared;
  let model = prepared.model;
  const split = splitCases(cases, options.validationFraction, options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const runKey = runKeyOf(options, fingerprint);
  const checkpointDir = path.join(partial, 'checkpoint');
  const bestDir = path.join(partial, 'best');
  let state: LoopState = {
    epochsDone: 0,
    patchLosses: null,
    validationAucByEpoch: [],
    lossByEpoch: [],
    bestEpoch: 0,
    bestAuc: -1,
    bestValidationProbabilities: [],
    elapsedSeconds: 0,
    runKey,
  };
  if (options.resume) {
    const checkpoint = await readCheckpoint(checkpointDir, optimizer, runKey);
    model.dispose();
    model = checkpoint.model;
    state = checkpoint.state;
    logger.info({ epochsDone: state.epochsDone }, 'resuming training from checkpoint');
  }
  const elapsedBefore = state.elapsedSeconds;
  fs.mkdirSync(partial, { recursive: true });
  const validationLabels = split.validation.map((c) => c.mbd);
  if (lesions && state.patchLosses === null) {
    state = { ...state, patchLosses: pretrain(model, options, split.training, planes, lesions), elapsedSeconds: elapsedBefore + (Date.now() - started) / 1000 };
    await writeCheckpoint(checkpointDir, model, optimizer, state);
  }

  for (let epoch = state.epochsDone + 1; epoch <= options.epochs; epoch++) {
    // One stream per epoch, derived from the seed: a resumed run draws exactly what an uninterrupted one would.
    const random = createRandom(options.seed * 1000 + epoch);
    let queue: LabelledCase[] = [];
    let lossSum = 0;
    for (let step = 1; step <= options.stepsPerEpoch; step++) {
      const batch: LabelledCase[] = [];
      while (batch.length < options.batchSize) {
        if (queue.length === 0) queue = epochCases(split.training, random);
        batch.push(queue.pop()!);
      }
      const loss = tf.tidy(() => {
        const { xs, ys } = batchTensors(batch, planes, random);
        const value = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true);
        return value!.dataSync()[0];
      });
      lossSum += loss;
      options.onProgress?.({ phase: 'training', epoch, epochs: options.epochs, step, steps: options.stepsPerEpoch, loss });
    }
    const probabilities = validationProbabilities(model, split.validation, planes);
    const validationAuc = auc(probabilities, validationLabels);
    const best = validationAuc > state.bestAuc;
    state = {
      ...state,
      epochsDone: epoch,
      validationAucByEpoch: [...state.validationAucByEpoch, validationAuc],
      lossByEpoch: [...state.lossByEpoch, lossSum / options.stepsPerEpoch],
      ...(best ? { bestEpoch: epoch, bestAuc: validationAuc, bestValidationProbabilities: probabilities } : {}),
      elapsedSeconds: elapsedBefore + (Date.now() - started) / 1000,
    };
    if (best) {
      fs.rmSync(bestDir, { recursive: true, force: true });
      await saveLayersModelToFolder(model, bestDir);
    }
    await writeCheckpoint(checkpointDir, model, optimizer, state);
    options.onProgress?.({ phase: 'validated', epoch, auc: validationAuc, best });
  }
  model.dispose();
  optimizer.dispose();

  const threshold = youdenThreshold(state.bestValidationProbabilities, validationLabels).threshold;
  const positives = cases.filter((c) => c.mbd === 1).length;
  const card: ModelCard = {
    name: path.basename(options.out),
    version: new Date().toISOString().slice(0, 10),
    architecture: options.architecture,
    input: { width: MODEL_INPUT.width, height: MODEL_INPUT.height, channels: MODEL_INPUT.channels },
    threshold,
    thresholdMethod: 'Youden index on the validation split at the best epoch',
    syntheticData: options.syntheticData,
    intendedUse: intendedUseFor(options.syntheticData),
    createdAt: new Date().toISOString(),
    training: {
      dataFingerprint: fingerprint,
      dataFolders: options.data.map((d) => path.basename(path.resolve(d))),
      counts: {
        scans: cases.length,
        positives,
        negatives: cases.length - positives,
        training: split.training.length,
        validation: split.validation.length,
        byCentre: countByCentre(cases),
      },
      recipe: {
        epochs: state.epochsDone,
        stepsPerEpoch: options.stepsPerEpoch,
        batchSize: options.batchSize,
        learningRate: options.learningRate,
        optimiser: 'adam',
        loss: 'categoricalCrossentropy',
        balancing: 'each epoch all positives plus an equal number of negatives drawn afresh',
        augmentation: 'horizontal flip with probability 0.5 (AP and PA swap sides)',
        seed: options.seed,
        initialWeights: initialWeightsOf(options),
        lesionPatchPretraining: state.patchLosses && {
          ...PATCH_PRETRAINING,
          steps: options.lesionPatchSteps,
          lossFirstTenth: meanOf(state.patchLosses.slice(0, Math.ceil(state.patchLosses.length / 10))),
          lossLastTenth: meanOf(state.patchLosses.slice(-Math.ceil(state.patchLosses.length / 10))),
        },
        validationFraction: options.validationFraction,
        backend,
      },
      validationAucByEpoch: state.validationAucByEpoch,
      trainingLossByEpoch: state.lossByEpoch,
      bestEpoch: state.bestEpoch,
      durationSeconds: Math.round(state.elapsedSeconds),
    },
    metrics: {
      validation: { auc: state.bestAuc, positives: validationLabels.filter((l) => l === 1).length, negatives: validationLabels.filter((l) => l === 0).length },
    },
  };
  const versionDir = path.join(partial, 'version');
  fs.rmSync(versionDir, { recursive: true, force: true });
  fs.cpSync(bestDir, versionDir, { recursive: true });
  writeModelCard(versionDir, card);
  fs.mkdirSync(path.dirname(path.resolve(options.out)), { recursive: true });
  fs.renameSync(versionDir, options.out);
  fs.rmSync(partial, { recursive: true, force: true });
  return { dir: options.out, card };
}
