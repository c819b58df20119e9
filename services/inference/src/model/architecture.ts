/**
 * The reference study's classifier (DESIGN §2): VGG16 convolutional base -> last max-pool -> global average
 * pooling -> Dense(512, ReLU) -> Dense(2, softmax). Layer names follow Keras' `VGG16(include_top=False)` so
 * ImageNet weights converted from Keras map onto it by name.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '@bonescan/clinical';
import { ARCHITECTURES, type Architecture } from '@bonescan/db';

// Declared beside the model card's validator, which refuses a card naming an architecture built nowhere here.
export { ARCHITECTURES, type Architecture };

/** Convolutions per VGG16 block; the topology both variants share. */
const CONVS_PER_BLOCK = [2, 2, 3, 3, 3];

interface Variant {
  blocks: number[];
  dense: number;
  /**
   * Batch normalisation between each convolution and its ReLU. The paper's VGG16 has none (it starts from
   * ImageNet weights, which cannot be fetched here); trained from scratch, the narrow variants without it sit
   * at the chance loss (ln 2) for hundreds of steps, with it they learn within the first epoch.
   */
  batchNorm: boolean;
}

/**
 * The compact variant divides every width by 8 (about 1/64 of the compute), so CPU training fits in minutes;
 * the tiny one exists for the CI test of the training loop, which must run in seconds.
 */
const VARIANTS: Record<Architecture, Variant> = {
  vgg16: { blocks: [64, 128, 256, 512, 512], dense: 512, batchNorm: false },
  'vgg16-compact': { blocks: [8, 16, 32, 64, 64], dense: 64, batchNorm: true },
  'vgg16-tiny': { blocks: [4, 8, 8, 16, 16], dense: 16, batchNorm: true },
};

/**
 * Weight of the running statistics kept at each batch-norm update. Keras' 0.99 needs about 500 steps to forget
 * its initial (0, 1) statistics; 0.9 (PyTorch's default) tracks the data within tens of steps, so a short run
 * is evaluated with statistics of its own data.
 */
const BATCH_NORM_MOMENTUM = 0.9;

/** Name of the last convolution's output after its activation: what Grad-CAM explains. */
export function lastConvolutionOutput(model: tf.LayersModel): string {
  const names = model.layers.map((layer) => layer.name);
  return names[names.indexOf('block5_pool') - 1];
}
export const CLASS_NAMES = ['NO_MBD', 'MBD'] as const;
/** Index of MBD in the softmax output. */
export const MBD_CLASS = 1;

/** The model's call at its operating point: the one rule the label, the evaluation and the Grad-CAM all follow. */
export function callsMbd(probability: number, threshold: number): boolean {
  return probability >= threshold;
}

export function isArchitecture(value: string): value is Architecture {
  return (ARCHITECTURES as readonly string[]).includes(value);
}

/**
 * Builds the untrained classifier. `seed` makes the initial weights reproducible. `inputSize` other than the
 * scan's 512 gives the same weights on smaller square inputs (lesion-patch pre-training): every layer up to the
 * global average pooling is convolutional.
 */
export function buildClassifier(architecture: Architecture, seed = 1, inputSize: number = MODEL_INPUT.width): tf.LayersModel {
  const variant = VARIANTS[architecture];
  let nextSeed = seed;
  // He initialisation rather than Keras' Glorot default: a 13-layer ReLU stack without batch norm barely
  // moves from Glorot weights when trained from scratch (the variance shrinks layer by layer).
  const heNormal = () => tf.initializers.heNormal({ seed: nextSeed++ });
  const input = tf.input({ shape: [inputSize, inputSize, MODEL_INPUT.channels], name: 'scan' });
  let x = input;
  CONVS_PER_BLOCK.forEach((convs, b) => {
    for (let c = 1; c <= convs; c++) {
      x = tf.layers
        .conv2d({
          name: `block${b + 1}_conv${c}`,
          filters: variant.blocks[b],
          kernelSize: 3,
          padding: 'same',
          activation: variant.batchNorm ? 'linear' : 'relu',
          // Batch norm's shift makes a convolution bias redundant.
          useBias: !variant.batchNorm,
          kernelInitializer: heNormal(),
        })
        .apply(x) as tf.SymbolicTensor;
      if (variant.batchNorm) {
        x = tf.layers.batchNormalization({ name: `block${b + 1}_conv${c}_bn`, momentum: BATCH_NORM_MOMENTUM }).apply(x) as tf.SymbolicTensor;
        x = tf.layers.activation({ name: `block${b + 1}_conv${c}_relu`, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
      }
    }
    x = tf.layers.maxPooling2d({ name: `block${b + 1}_pool`, poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ name: 'dense', units: variant.dense, activation: 'relu', kernelInitializer: heNormal() }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ name: 'predictions', units: CLASS_NAMES.length, activation: 'softmax', kernelInitializer: heNormal() })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: architecture });
}

/** Recognises which variant a loaded model is, from the width of its first convolution. */
export function architectureOf(model: tf.LayersModel): Architecture | undefined {
  const first = model.layers.find((layer) => layer.name === 'block1_conv1');
  const filters = first?.getConfig().filters;
  return ARCHITECTURES.find((arch) => VARIANTS[arch].blocks[0] === filters);
}
