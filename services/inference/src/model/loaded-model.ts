/** A model version held in memory, ready to predict and explain on the selected backend. */
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '@bonescan/clinical';
import { architectureOf, MBD_CLASS } from './architecture';
import { BackendName, selectBackend } from './backend';
import { GradCam, HeatMap } from './gradcam';
import { findHotspots, Hotspot } from './hotspots';
import { bodyFrameOf } from './body-regions';
import { ModelCard, readModelCard } from './model-card';
import { loadLayersModelFromFolder, ModelLoadError } from './model-files';

export interface Explanation {
  probability: number;
  heatmap: HeatMap;
  hotspots: Hotspot[];
}

export interface LoadedModel {
  card: ModelCard;
  backend: BackendName;
  /** P(MBD) per pre-processed scan (512 x 512 x 3 each, from @bonescan/preprocess). */
  predict(inputs: Float32Array[]): Promise<number[]>;
  /** Grad-CAM of the call made at `threshold` (the version's operating point), with its hotspots. */
  explain(input: Float32Array, threshold: number): Promise<Explanation>;
  dispose(): void;
}

const INPUT_LENGTH = MODEL_INPUT.width * MODEL_INPUT.height * MODEL_INPUT.channels;
/** Scans per forward pass: enough to amortise kernel set-up, small enough for a full VGG16 in memory. */
const PREDICT_BATCH = 4;

function checkInput(input: Float32Array, index: number): void {
  if (input.length !== INPUT_LENGTH) {
    throw new RangeError(`input ${index} has ${input.length} values; a pre-processed scan has 512x512x3 = ${INPUT_LENGTH}`);
  }
}

/** One view (channel 0) back out of a model input: columns [left, left + 256). */
function viewOf(input: Float32Array, left: number): Float32Array {
  const { width, channels, viewWidth, viewHeight } = MODEL_INPUT;
  const view = new Float32Array(viewWidth * viewHeight);
  for (let y = 0; y < viewHeight; y++) {
    for (let x = 0; x < viewWidth; x++) view[y * viewWidth + x] = input[(y * width + left + x) * channels];
  }
  return view;
}

/** P(MBD) for each scan, in batches. */
export function predictProbabilities(model: tf.LayersModel, inputs: Float32Array[]): number[] {
  inputs.forEach(checkInput);
  const out: number[] = [];
  for (let start = 0; start < inputs.length; start += PREDICT_BATCH) {
    const batch = inputs.slice(start, start + PREDICT_BATCH);
    const probabilities = tf.tidy(() => {
      const data = new Float32Array(batch.length * INPUT_LENGTH);
      batch.forEach((input, i) => data.set(input, i * INPUT_LENGTH));
      const x = tf.tensor4d(data, [batch.length, MODEL_INPUT.height, MODEL_INPUT.width, MODEL_INPUT.channels]);
      return (model.predict(x) as tf.Tensor2D).arraySync();
    });
    out.push(...probabilities.map((p) => p[MBD_CLASS]));
  }
  return out;
}

export function wrapModel(model: tf.LayersModel, card: ModelCard, backend: BackendName): LoadedModel {
  const gradCam = new GradCam(model);
  return {
    card,
    backend,
    async predict(inputs) {
      return predictProbabilities(model, inputs);
    },
    async explain(input, threshold) {
      checkInput(input, 0);
      const { probability, heatmap } = gradCam.explain(input, threshold);
      const frames = { AP: bodyFrameOf(viewOf(input, 0)), PA: bodyFrameOf(viewOf(input, MODEL_INPUT.viewWidth)) };
      return { probability, heatmap, hotspots: findHotspots(heatmap, { frames }) };
    },
    dispose() {
      model.dispose();
    },
  };
}

/**
 * Loads a model version folder (model.json + shards + model-card.json) on the selected backend
 * (INFERENCE_BACKEND or the first installed). Anything missing, corrupted or inconsistent is a ModelLoadError.
 */
export async function loadModelVersion(dir: string, backendName?: string): Promise<LoadedModel> {
  const card = readModelCard(dir);
  const backend = await selectBackend(backendName);
  const model = await loadLayersModelFromFolder(dir);
  const architecture = architectureOf(model);
  if (architecture !== card.architecture) {
    model.dispose();
    throw new ModelLoadError(`${dir}: the card says ${card.architecture} but the weights are ${architecture ?? 'an unknown architecture'}`);
  }
  return wrapModel(model, card, backend);
}
