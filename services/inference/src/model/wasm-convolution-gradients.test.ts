import * as tf from '@tensorflow/tfjs';
import { selectBackend } from './backend';

/** Gradients of sum(conv2d(x, w) * weights) w.r.t. the input and the filter, on the active backend. */
function gradients(x: tf.Tensor4D, w: tf.Tensor4D, weights: tf.Tensor4D, strides: number, pad: 'same' | 'valid') {
  return tf.tidy(() =>
    tf.grads((input: tf.Tensor, filter: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, strides, pad), weights)))([x, w]),
  );
}

function expectClose(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  expected.dataSync().forEach((value, i) => expect(a[i]).toBeCloseTo(value, 3));
}

describe('convolution gradients on wasm', () => {
  const cases: Array<{ x: [number, number, number, number]; k: number; co: number; strides: number; pad: 'same' | 'valid' }> = [
    { x: [2, 9, 7, 3], k: 3, co: 4, strides: 1, pad: 'same' },
    { x: [1, 10, 11, 2], k: 3, co: 5, strides: 2, pad: 'same' },
    { x: [3, 8, 9, 4], k: 2, co: 3, strides: 2, pad: 'valid' },
    { x: [1, 11, 10, 2], k: 3, co: 2, strides: 3, pad: 'valid' },
  ];

  it.each(cases)('equal the cpu backend gradients (input and filter) for %j', async ({ x, k, co, strides, pad }) => {
    await selectBackend('cpu');
    const seed = 3;
    const xs = tf.randomNormal(x, 0, 1, 'float32', seed) as tf.Tensor4D;
    const w = tf.randomNormal([k, k, x[3], co], 0, 1, 'float32', seed + 1) as tf.Tensor4D;
    const outShape = tf.conv2d(xs, w, strides, pad).shape;
    const weights = tf.randomNormal(outShape, 0, 1, 'float32', seed + 2) as tf.Tensor4D;
    const [xv, wv, weightsv] = [xs.arraySync(), w.arraySync(), weights.arraySync()];
    const [dxCpu, dwCpu] = gradients(xs, w, weights, strides, pad).map((t) => tf.tensor(t.arraySync() as number[], t.shape));

    await selectBackend('wasm');
    const [dx, dw] = gradients(tf.tensor4d(xv), tf.tensor4d(wv), tf.tensor4d(weightsv), strides, pad);
    expect(dw.shape).toEqual([k, k, x[3], co]);
    expectClose(dw, dwCpu);
    expectClose(dx, dxCpu);
  });

  it('lets a model with a convolution train on wasm (loss falls)', async () => {
    await selectBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const xs = tf.randomUniform([16, 8, 8, 1], 0, 1, 'float32', 5);
    const ys = tf.mean(xs, [1, 2]);
    const history = await model.fit(xs, ys, { epochs: 20, batchSize: 16, verbose: 0 });
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 2);
  });
});
