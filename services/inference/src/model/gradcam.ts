/**
 * Grad-CAM (Selvaraju et al.) on the last convolution, as the reference study explained its calls:
 * gradient of the predicted class score w.r.t. block5_conv3's output (after its activation), channel weights = spatial mean of that
 * gradient, ReLU of the weighted sum of channels, resized to the 512 x 512 input, scaled to [0, 1], and cut
 * back into the AP (left) and PA (right) halves.
 * The convolutional features are computed once; the gradient runs only through the small head above them
 * (max-pool -> GAP -> dense -> dense), which costs a fraction of a full backward pass.
 */
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '@bonescan/clinical';
import { callsMbd, lastConvolutionOutput, MBD_CLASS } from './architecture';

export interface HeatMap {
  AP: Float32Array;
  PA: Float32Array;
  /** Size of each view's map: the pre-processed view, 256 x 512. */
  width: number;
  height: number;
}

export interface GradCamResult {
  /** P(MBD) from the same forward pass. */
  probability: number;
  /** The class the map explains: the call made at the threshold given to explain(). */
  explainedClass: number;
  heatmap: HeatMap;
}

export class GradCam {
  private readonly features: tf.LayersModel;
  private readonly headLayers: tf.layers.Layer[];
  private readonly output: tf.layers.Layer;

  constructor(model: tf.LayersModel) {
    const lastConvolution = lastConvolutionOutput(model);
    this.features = tf.model({ inputs: model.inputs, outputs: model.getLayer(lastConvolution).output });
    const names = model.layers.map((layer) => layer.name);
    const afterConv = model.layers.slice(names.indexOf(lastConvolution) + 1);
    this.output = afterConv[afterConv.length - 1];
    this.headLayers = afterConv.slice(0, -1);
  }

  /** Class scores before the softmax: Grad-CAM's y^c, whose gradient does not vanish when p is near 1. */
  private logits(features: tf.Tensor4D): tf.Tensor2D {
    let x: tf.Tensor = features;
    for (const layer of this.headLayers) x = layer.apply(x) as tf.Tensor;
    const [kernel, bias] = this.output.getWeights();
    return tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias) as tf.Tensor2D;
  }

  /**
   * `input` is one pre-processed scan, 512 x 512 x 3 (see @bonescan/preprocess). `threshold` is the operating
   * point the call is made at, and the map explains that call, not the softmax argmax: at a threshold of 0.11
   * a scan at P(MBD) 0.3 is called MBD, and the reader must see why it is MBD, not why it is normal.
   */
  explain(input: Float32Array, threshold: number): GradCamResult {
    const { width, height, channels, viewWidth, viewHeight } = MODEL_INPUT;
    const { probability, explainedClass, map } = tf.tidy(() => {
      const x = tf.tensor4d(input, [1, height, width, channels]);
      const features = this.features.predict(x) as tf.Tensor4D;
      const logits = this.logits(features);
      const probabilities = tf.softmax(logits).dataSync();
      const explained = callsMbd(probabilities[MBD_CLASS], threshold) ? MBD_CLASS : 1 - MBD_CLASS;
      // Score selected by a one-hot product rather than gather: gather's gradient needs UnsortedSegmentSum, which wasm lacks.
      const selector = tf.oneHot([explained], 2);
      const gradient = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(this.logits(f as tf.Tensor4D), selector)))(features);
      const channelWeights = tf.mean(gradient, [1, 2], true);
      const cam = tf.relu(tf.sum(tf.mul(features, channelWeights), 3, true)) as tf.Tensor4D;
      const resized = tf.image.resizeBilinear(cam, [height, width], false, true);
      const max = tf.max(resized);
      const normalised = tf.where(tf.greater(max, 0), tf.div(resized, max), tf.zerosLike(resized));
      return { probability: probabilities[MBD_CLASS], explainedClass: explained, map: normalised.dataSync() as Float32Array };
    });
    const AP = new Float32Array(viewWidth * viewHeight);
    const PA = new Float32Array(viewWidth * viewHeight);
    for (let y = 0; y < viewHeight; y++) {
      AP.set(map.subarray(y * width, y * width + viewWidth), y * viewWidth);
      PA.set(map.subarray(y * width + viewWidth, (y + 1) * width), y * viewWidth);
    }
    return { probability, explainedClass, heatmap: { AP, PA, width: viewWidth, height: viewHeight } };
  }
}
