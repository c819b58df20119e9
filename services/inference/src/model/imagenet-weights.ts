/**
 * ImageNet initialisation of the convolutional base, from a TensorFlow.js layers folder converted from
 * Keras `VGG16(include_top=False, weights='imagenet')` (tensorflowjs_converter --input_format keras).
 * Weights are matched by layer name (block1_conv1 ... block5_conv3); shapes must agree exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { readWeightsFolder, ModelLoadError } from './model-files';

/** Keras names weights "block1_conv1/kernel", older exports add ":0", nested exports prefix "vgg16/". */
function canonicalName(name: string): string {
  const withoutSuffix = name.replace(/:\d+$/, '');
  const parts = withoutSuffix.split('/');
  return parts.slice(-2).join('/');
}

export function loadImagenetWeights(model: tf.LayersModel, dir: string): number {
  const { weightSpecs, weightData } = readWeightsFolder(dir);
  const found = tf.io.decodeWeights(weightData, weightSpecs);
  const byName = new Map(Object.entries(found).map(([name, tensor]) => [canonicalName(name), tensor]));
  const convolutions = model.layers.filter((layer) => /^block\d_conv\d$/.test(layer.name));
  const assignments: Array<[tf.LayerVariable, tf.Tensor]> = [];
  try {
    for (const layer of convolutions) {
      for (const variable of layer.weights) {
        const role = variable.originalName.split('/').pop()!;
        const key = `${layer.name}/${role}`;
        const tensor = byName.get(key);
        if (tensor === undefined) {
          throw new ModelLoadError(`ImageNet weights in ${dir} have no ${key}; expected a Keras VGG16(include_top=False) conversion`);
        }
        if (!tf.util.arraysEqual(tensor.shape, variable.shape as number[])) {
          throw new ModelLoadError(
            `ImageNet weight ${key} in ${dir} has shape [${tensor.shape}] but the ${model.name} model needs [${variable.shape}]: ` +
              `these weights are for another architecture (use --arch vgg16 with full VGG16 weights)`,
          );
        }
        assignments.push([variable, tensor]);
      }
    }
    // Assign only after every weight checked, so a mismatch leaves the model untouched.
    for (const [variable, tensor] of assignments) variable.write(tensor);
    return assignments.length;
  } finally {
    Object.values(found).forEach((t) => t.dispose());
  }
}
