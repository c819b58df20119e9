/**
 * The reference study's classifier (DESIGN §2): VGG16 convolutional base -> last max-pool -> global average
 * pooling -> Dense(512, ReLU) -> Dense(2, softmax). Layer names follow Keras' `VGG16(include_top=False)` so
 * ImageNet weights converted from Keras map onto it by name.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '@bonescan/clinical';

export const ARCHITECTURES = ['vgg16', 'vgg16-compact', 'vgg16-tiny'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Convolutions per VGG16 block; the topology both variants share. */
const CONVS_PER_BLOCK = [2, 2, 3, 3, 3];

interface Widths {
  blocks: number[];
  dense: number;
}

/**
 * The compact variant divides every width by 8 (about 1/64 of the compute), so CPU training fits in minutes;
 * the tiny one exists for the CI test of the training loop, which must run in seconds.
 */
const WIDTHS: Record<Architecture, Widths> = {
  vgg16: { blocks: [64, 128, 256, 512, 512], dense: 512 },
  'vgg16-compact': { blocks: [8, 16, 32, 64, 64], dense: 64 },
  'vgg16-tiny': { blocks: [4, 8, 8, 16, 16], dense: 16 },
};

/** Layer the Grad-CAM is taken from: the last convolution, before the last max-pool. */
export const LAST_CONV_LAYER = 'block5_conv3';
export const CLASS_NAMES = ['NO_MBD', 'MBD'] as const;
/** Index of MBD in the softmax output. */
export const MBD_CLASS = 1;

export function isArchitecture(value: string): value is Architecture {
  return (ARCHITECTURES as readonly string[]).includes(value);
}

/** Builds the untrained classifier. `seed` makes the initial weights reproducible. */
export function buildClassifier(architecture: Architecture, seed = 1): tf.LayersModel {
  const widths = WIDTHS[architecture];
  let nextSeed = seed;
  // He initialisation rather than Keras' Glorot default: a 13-layer ReLU stack without batch norm barely
  // moves from Glorot weights when trained from scratch (the variance shrinks layer by layer).
  const heNormal = () => tf.initializers.heNormal({ seed: nextSeed++ });
  const input = tf.input({ shape: [MODEL_INPUT.height, MODEL_INPUT.width, MODEL_INPUT.channels], name: 'scan' });
  let x = input;
  CONVS_PER_BLOCK.forEach((convs, b) => {
    for (let c = 1; c <= convs; c++) {
      x = tf.layers
        .conv2d({
          name: `block${b + 1}_conv${c}`,
          filters: widths.blocks[b],
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: heNormal(),
        })
        .apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.maxPooling2d({ name: `block${b + 1}_pool`, poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'global_average_pooling' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers
    .dense({ name: 'dense', units: widths.dense, activation: 'relu', kernelInitializer: heNormal() })
    .apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ name: 'predictions', units: CLASS_NAMES.length, activation: 'softmax', kernelInitializer: heNormal() })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: architecture });
}

/** Recognises which variant a loaded model is, from the width of its first convolution. */
export function architectureOf(model: tf.LayersModel): Architecture | undefined {
  const first = model.layers.find((layer) => layer.name === 'block1_conv1');
  const filters = first?.getConfig().filters;
  return ARCHITECTURES.find((arch) => WIDTHS[arch].blocks[0] === filters);
}
