import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT } from '@bonescan/clinical';
import { buildClassifier, MBD_CLASS } from './architecture';
import { selectBackend } from './backend';
import { GradCam } from './gradcam';
import { findHotspots } from './hotspots';
import { predictProbabilities } from './loaded-model';

/**
 * A compact classifier whose weights are set by hand so its Grad-CAM is known: every convolution passes
 * channel 0 straight through (centre tap 1) and every batch norm is the identity, so the last convolution's
 * channel 0 is the input max-pooled 16x; the dense layer averages that channel, and the MBD logit is 10x that
 * average. Grad-CAM must then reproduce the input's bright spots, and only them.
 */
function passThroughModel(): tf.LayersModel {
  const model = buildClassifier('vgg16-compact', 1);
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0) continue;
    if (layer.getClassName() === 'BatchNormalization') {
      const [gamma, beta, movingMean, movingVariance] = weights;
      layer.setWeights([tf.onesLike(gamma), tf.zerosLike(beta), tf.zerosLike(movingMean), tf.onesLike(movingVariance)]);
      continue;
    }
    const [kernel, bias] = weights;
    const k = tf.buffer(kernel.shape);
    if (layer.name.startsWith('block')) k.set(1, 1, 1, 0, 0);
    else if (layer.name === 'dense') k.set(1, 0, 0);
    else k.set(10, 0, 1);
    layer.setWeights(bias ? [k.toTensor(), tf.zerosLike(bias)] : [k.toTensor()]);
  }
  return model;
}

function scanWithSpot(view: 'AP' | 'PA', x: number, y: number): Float32Array {
  const { width, height, channels, viewWidth } = MODEL_INPUT;
  const input = new Float32Array(width * height * channels);
  const cx = view === 'AP' ? x : x + viewWidth;
  for (let dy = -6; dy <= 6; dy++) {
    for (let dx = -6; dx <= 6; dx++) {
      const o = ((y + dy) * width + cx + dx) * channels;
      input.fill(1, o, o + channels);
    }
  }
  return input;
}

describe('Grad-CAM', () => {
  let model: tf.LayersModel;
  beforeAll(async () => {
    await selectBackend('wasm');
    model = passThroughModel();
  });
  afterAll(() => model.dispose());

  it('puts the heat-map maximum on the bright spot, in the right view, and nowhere else', () => {
    const input = scanWithSpot('PA', 180, 300);
    const result = new GradCam(model).explain(input, 0.5);
    const { AP, PA, width, height } = result.heatmap;
    expect([width, height]).toEqual([256, 512]);
    expect(AP.every((v) => v === 0)).toBe(true);
    let best = 0;
    PA.forEach((v, i) => (v > PA[best] ? (best = i) : undefined));
    expect(PA[best]).toBeCloseTo(1, 5);
    expect(Math.abs((best % width) - 180)).toBeLessThanOrEqual(16);
    expect(Math.abs(Math.floor(best / width) - 300)).toBeLessThanOrEqual(16);
    // far from the spot the map is empty
    expect(PA[50 * width + 20]).toBe(0);
    expect(result.explainedClass).toBe(1);
    expect(result.probability).toBeCloseTo(predictProbabilities(model, [input])[0], 5);
  });

  it('hotspots name the view, position and body region of the spot', () => {
    const result = new GradCam(model).explain(scanWithSpot('AP', 128, 30), 0.5);
    const hotspots = findHotspots(result.heatmap);
    expect(hotspots).toHaveLength(1);
    expect(hotspots[0]).toMatchObject({ view: 'AP', region: 'SKULL' });
    expect(Math.abs(hotspots[0].x - 128)).toBeLessThanOrEqual(16);
    expect(Math.abs(hotspots[0].y - 30)).toBeLessThanOrEqual(16);
  });

  it("explains the call made at the model's threshold, even where P(MBD) is below one half", () => {
    const output = model.layers[model.layers.length - 1];
    const original = output.getWeights().map((w) => w.clone());
    // An MBD bias of -1 puts P(MBD) near 0.27: a positive call for a model whose threshold is 0.2.
    output.setWeights([original[0], tf.tensor1d(MBD_CLASS === 1 ? [0, -1] : [-1, 0])]);
    try {
      const input = scanWithSpot('AP', 100, 200);
      const called = new GradCam(model).explain(input, 0.2);
      expect(called.probability).toBeGreaterThan(0.2);
      expect(called.probability).toBeLessThan(0.5);
      expect(called.explainedClass).toBe(MBD_CLASS);
      const { AP, width } = called.heatmap;
      let best = 0;
      AP.forEach((v, i) => (v > AP[best] ? (best = i) : undefined));
      expect(AP[best]).toBeCloseTo(1, 5);
      expect(Math.abs((best % width) - 100)).toBeLessThanOrEqual(16);
      expect(Math.abs(Math.floor(best / width) - 200)).toBeLessThanOrEqual(16);
      // At 0.5 the same scan is a negative call; the normal class's score does not depend on the features here.
      const notCalled = new GradCam(model).explain(input, 0.5);
      expect(notCalled.explainedClass).toBe(1 - MBD_CLASS);
      expect(notCalled.heatmap.AP.every((v) => v === 0)).toBe(true);
    } finally {
      output.setWeights(original);
      original.forEach((w) => w.dispose());
    }
  });
});
