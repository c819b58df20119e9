/**
 * Lesion-patch pre-training of the convolutional base, before the paper's recipe.
 *
 * The paper starts VGG16 from ImageNet weights; those cannot be downloaded here, and from random weights the
 * whole-scan task is a needle in a haystack: one label per 512 x 512 scan, a few lesions of a few pixels each.
 * Where lesion masks exist (every phantom set has them; a hospital may have segmentations), the same network
 * can first learn what a metastasis looks like on 128 x 128 patches: a patch holding a metastasis near its
 * centre is positive; one holding none (a random stretch of skeleton, or a benign finding: injection site,
 * degenerative joint, fracture, Paget, urine) is negative. The network is fully convolutional up to global
 * average pooling, so the patch model's weights fit the 512 x 512 model as they are; the paper's recipe then
 * trains the whole network on whole scans. Patches cost 1/16 of a scan, so this is cheap on a CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '@bonescan/clinical';
import { Architecture, buildClassifier, CLASS_NAMES } from '../model/architecture';
import { BENIGN_FINDING, METASTASIS } from './lesion-masks';

export const PATCH_SIZE = 128;
/** Patch stage settings, recorded in the model card. Batch norm makes 1e-3 stable here (the paper's 1e-4 is for ImageNet-initialised weights). */
export const PATCH_PRETRAINING = { patchSize: PATCH_SIZE, batchSize: 16, learningRate: 1e-3 } as const;

/** One scan as the model sees it (one channel of the 512 x 512 input) with its lesion labels laid out alike. */
export interface PatchSource {
  plane: Float32Array;
  lesions: Uint8Array;
}

export interface PatchBatch {
  /** size x 128 x 128 x 3, channels repeated as in the model input. */
  data: Float32Array;
  labels: number[];
}

/** Below this normalised intensity a pixel is background (air beside the patient), not a place to look. */
const BACKGROUND = 0.03;
/** Share of negative patches centred on a benign finding: the look-alikes the network must learn to pass. */
const BENIGN_SHARE = 0.4;

interface Pixel {
  source: number;
  index: number;
}

/** Where a patch is cut: the scan and the patch's top-left corner in the model plane. */
interface Corner {
  source: number;
  x: number;
  y: number;
}

export class LesionPatchSampler {
  private readonly metastases: Pixel[] = [];
  private readonly benign: Pixel[] = [];

  constructor(
    private readonly sources: PatchSource[],
    private readonly random: () => number,
  ) {
    sources.forEach((source, s) => {
      source.lesions.forEach((label, index) => {
        if (label === METASTASIS) this.metastases.push({ source: s, index });
        else if (label === BENIGN_FINDING) this.benign.push({ source: s, index });
      });
    });
    if (this.metastases.length === 0) throw new Error('lesion-patch pre-training needs lesion masks that mark at least one metastasis');
  }

  /** Alternately a patch with a metastasis in its central half and one with no metastasis at all; random flips. */
  batch(size: number): PatchBatch {
    const data = new Float32Array(size * PATCH_SIZE * PATCH_SIZE * MODEL_INPUT.channels);
    const labels: number[] = [];
    for (let k = 0; k < size; k++) {
      const positive = k % 2 === 1;
      const corner = positive ? this.positiveCorner() : this.negativeCorner();
      this.copyPatch(corner, this.random() < 0.5, data.subarray(k * PATCH_SIZE * PATCH_SIZE * MODEL_INPUT.channels));
      labels.push(positive ? 1 : 0);
    }
    return { data, labels };
  }

  private pick(pixels: Pixel[]): Pixel {
    return pixels[Math.floor(this.random() * pixels.length)];
  }

  /** Top-left corner of a patch that holds `pixel` somewhere in its central half. */
  private around(pixel: Pixel): Corner {
    const { width } = MODEL_INPUT;
    const clamp = (v: number) => Math.max(0, Math.min(width - PATCH_SIZE, v));
    const jitter = () => PATCH_SIZE / 4 + Math.floor(this.random() * (PATCH_SIZE / 2));
    return { source: pixel.source, x: clamp((pixel.index % width) - jitter()), y: clamp(Math.floor(pixel.index / width) - jitter()) };
  }

  private positiveCorner(): Corner {
    return this.around(this.pick(this.metastases));
  }

  private negativeCorner(): Corner {
    const { width } = MODEL_INPUT;
    for (;;) {
      let corner: Corner;
      if (this.benign.length > 0 && this.random() < BENIGN_SHARE) corner = this.around(this.pick(this.benign));
      else {
        const source = Math.floor(this.random() * this.sources.length);
        const x = Math.floor(this.random() * (width - PATCH_SIZE + 1));
        const y = Math.floor(this.random() * (width - PATCH_SIZE + 1));
        const centre = (y + PATCH_SIZE / 2) * width + x + PATCH_SIZE / 2;
        // Mostly on the patient: air is easy, and a fifth of it is enough to learn that.
        if (this.sources[source].plane[centre] < BACKGROUND && this.random() < 0.8) continue;
        corner = { source, x, y };
      }
      if (!this.holdsMetastasis(corner)) return corner;
    }
  }

  private holdsMetastasis({ source, x, y }: Corner): boolean {
    const { lesions } = this.sources[source];
    for (let row = y; row < y + PATCH_SIZE; row++) {
      for (let i = row * MODEL_INPUT.width + x, end = i + PATCH_SIZE; i < end; i++) if (lesions[i] === METASTASIS) return true;
    }
    return false;
  }

  private copyPatch({ source, x, y }: Corner, flip: boolean, out: Float32Array): void {
    const { plane } = this.sources[source];
    const channels = MODEL_INPUT.channels;
    for (let row = 0; row < PATCH_SIZE; row++) {
      for (let column = 0; column < PATCH_SIZE; column++) {
        const v = plane[(y + row) * MODEL_INPUT.width + x + (flip ? PATCH_SIZE - 1 - column : column)];
        const o = (row * PATCH_SIZE + column) * channels;
        for (let c = 0; c < channels; c++) out[o + c] = v;
      }
    }
  }
}

export interface PatchPretraining {
  architecture: Architecture;
  steps: number;
  seed: number;
  onStep?: (step: number, loss: number) => void;
}

/** Trains a 128 x 128 copy of `model` on lesion patches and writes its weights into `model`. Returns the losses. */
export function pretrainOnLesionPatches(model: tf.LayersModel, sampler: LesionPatchSampler, options: PatchPretraining): number[] {
  const patchModel = buildClassifier(options.architecture, options.seed, PATCH_SIZE);
  const optimizer = tf.train.adam(PATCH_PRETRAINING.learningRate);
  const losses: number[] = [];
  try {
    for (let step = 1; step <= options.steps; step++) {
      const { data, labels } = sampler.batch(PATCH_PRETRAINING.batchSize);
      const loss = tf.tidy(() => {
        const xs = tf.tensor4d(data, [labels.length, PATCH_SIZE, PATCH_SIZE, MODEL_INPUT.channels]);
        const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), CLASS_NAMES.length);
        const value = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, patchModel.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true);
        return value!.dataSync()[0];
      });
      losses.push(loss);
      options.onStep?.(step, loss);
    }
    model.setWeights(patchModel.getWeights());
    return losses;
  } finally {
    patchModel.dispose();
    optimizer.dispose();
  }
}
