/**
 * The model card: what a model version is, how it was made, how well it did, and what it is for. One validator
 * decides whether a card can be registered (by the API) or loaded (by a worker), so both refuse the same cards.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MODEL_INPUT } from '@bonescan/clinical';
import { z } from 'zod';

/** Classifier architectures the inference service can build; a card naming another cannot be loaded. */
export const ARCHITECTURES = ['vgg16', 'vgg16-compact', 'vgg16-tiny'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

export const MODEL_CARD_FILE = 'model-card.json';

type ModelInput = { width: typeof MODEL_INPUT.width; height: typeof MODEL_INPUT.height; channels: typeof MODEL_INPUT.channels };

const feedsThePlatform = (input: unknown): input is ModelInput => {
  const given = input as Partial<ModelInput> | null | undefined;
  return given?.width === MODEL_INPUT.width && given?.height === MODEL_INPUT.height && given?.channels === MODEL_INPUT.channels;
};

const saying = (message: string) => ({ errorMap: () => ({ message }) });

const text = (key: string) => {
  const message = `"${key}" must be a non-empty string`;
  return z.string(saying(message)).refine((value) => value.trim() !== '', message);
};

const thresholdMessage = '"threshold" must be a number in [0, 1]';

/** The fields a model version row is made of and a worker relies on; the rest of a card is a record, kept as written. */
const checkedFields = z.object(
  {
    name: text('name'),
    version: text('version'),
    architecture: z.enum(ARCHITECTURES, saying(`"architecture" must be one of ${ARCHITECTURES.join(', ')}`)),
    input: z.custom<ModelInput>(feedsThePlatform, (input: unknown) => ({
      message: `"input" is ${JSON.stringify(input)}, but this platform feeds ${MODEL_INPUT.width}x${MODEL_INPUT.height}x${MODEL_INPUT.channels}`,
    })),
    /** P(MBD) at or above this is an MBD call. */
    threshold: z.number(saying(thresholdMessage)).min(0, thresholdMessage).max(1, thresholdMessage),
    syntheticData: z.boolean(saying('"syntheticData" must be true or false')),
  },
  saying('does not hold a JSON object'),
);

interface LesionPatchRecord {
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
    /** Lesion-patch pre-training before the recipe; null when not used. */
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

export interface ModelCard extends z.infer<typeof checkedFields> {
  thresholdMethod: string;
  intendedUse: string;
  createdAt: string;
  training: TrainingRecord;
  metrics: { validation: { auc: number; positives: number; negatives: number }; evaluation?: Record<string, unknown> };
}

/** A model card that cannot be registered or loaded; the message names the file and every faulty field. */
export class ModelCardError extends Error {
  override name = 'ModelCardError';
  readonly code = 'INVALID_MODEL_CARD';
}

/**
 * Checks a parsed card. `source` names it in the error. The card comes back whole: fields beyond the checked
 * ones (how it was trained, its metrics) are the training's record, kept exactly as written.
 */
function checkModelCard(card: unknown, source: string): ModelCard {
  const result = checkedFields.passthrough().safeParse(card);
  if (!result.success) throw new ModelCardError(`${source}: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
  // The training's record beside the checked fields is trusted as its writer (training, evaluation) left it.
  return result.data as unknown as ModelCard;
}

/** Reads and checks `folder`/model-card.json. */
export function readModelCard(folder: string): ModelCard {
  const file = path.join(folder, MODEL_CARD_FILE);
  if (!fs.existsSync(file)) throw new ModelCardError(`no ${MODEL_CARD_FILE} in ${folder}: not a model version folder`);
  return parseModelCard(fs.readFileSync(file, 'utf8'), file);
}

/**
 * Parses and checks a card's text; `source` names it in the error. A parse error says where, never what the text
 * holds: a file that is not a card (a path mistyped, or pointed at on purpose) must not be echoed back.
 */
export function parseModelCard(text: string, source: string): ModelCard {
  let card: unknown;
  try {
    card = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new ModelCardError(`${source} is not valid JSON${position ? ` (at character ${position})` : ''}`);
  }
  return checkModelCard(card, source);
}
