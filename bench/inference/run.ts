/**
 * Speed of the classifier on this machine, per installed backend, with the pure-JS `cpu` backend as the
 * baseline in the same run:
 *   1. full VGG16 (14,978,370 parameters) forward pass on one 512 x 512 x 3 scan, ms per scan;
 *   2. Grad-CAM on top (explain(): feature pass + gradient through the head), ms per scan;
 *   3. the WASM convolution gradients registered by @bonescan/inference (Conv2DBackpropFilter, which
 *      tfjs-backend-wasm lacks, and the stride-1 Conv2DBackpropInput) against the cpu backend's kernels,
 *      on a VGG16 block-2-sized convolution;
 *   4. one training step of vgg16-compact per scan (what `npm run train` pays), on the fast backends only: on
 *      pure JS one step of 4 scans ran for over 20 minutes without finishing, and held the table back.
 *
 *   nice -n 10 node -r @swc-node/register bench/inference/run.ts [--repeats 3] [--cpu-repeats 1]
 *
 * With --cpu-repeats 1 the baseline is a single cold run (see median()).
 *
 * Weights are random: speed does not depend on their values.
 */
import * as tf from '@tensorflow/tfjs';
import { availableBackends, buildClassifier, GradCam, selectBackend, type BackendName } from '@bonescan/inference';

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/**
 * Median of `repeats` timed runs after one warm-up (kernel set-up, XNNPACK operator creation, memory growth).
 * A single repeat skips the warm-up: that is the slow pure-JS baseline, where one run already takes minutes
 * and set-up is a negligible share of it.
 */
async function median(repeats: number, run: () => Promise<void> | void): Promise<number> {
  if (repeats > 1) await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
    process.stderr.write('.');
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function scan(): Float32Array {
  const input = new Float32Array(512 * 512 * 3);
  for (let i = 0; i < input.length; i++) input[i] = ((i * 2654435761) % 1000) / 1000;
  return input;
}

interface Row {
  backend: BackendName;
  forwardMs: number;
  gradCamMs: number;
  filterGradMs: number;
  inputGradMs: number;
  trainStepMsPerScan: number | null;
}

async function measure(backend: BackendName, repeats: number, withTrainStep: boolean): Promise<Row> {
  await selectBackend(backend);
  process.stderr.write(`${backend}: `);
  const input = scan();
  const vgg = buildClassifier('vgg16', 1);
  const forwardMs = await median(repeats, () => tf.tidy(() => void (vgg.predict(tf.tensor4d(input, [1, 512, 512, 3])) as tf.Tensor).dataSync()));
  const gradCam = new GradCam(vgg);
  // An untrained network has no operating point of its own; 0.5 stands in (the cost does not depend on it).
  const gradCamMs = await median(repeats, () => void gradCam.explain(input, 0.5));
  vgg.dispose();
  process.stderr.write(` forward ${forwardMs.toFixed(0)} ms, Grad-CAM ${gradCamMs.toFixed(0)} ms `);

  const x = tf.randomNormal([2, 128, 128, 64], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, 64, 128], 0, 0.05, 'float32', 2) as tf.Tensor4D;
  const dy = tf.randomNormal([2, 128, 128, 128], 0, 1, 'float32', 3) as tf.Tensor4D;
  const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined } as unknown as tf.NamedAttrMap;
  const kernel = (name: string, inputs: tf.NamedTensorMap, extra: tf.NamedAttrMap) =>
    tf.tidy(() => void (tf.engine().runKernel(name, inputs, { ...attrs, ...extra }) as tf.Tensor).dataSync());
  const filterGradMs = await median(repeats, () => kernel('Conv2DBackpropFilter', { x, dy }, { filterShape: [3, 3, 64, 128] }));
  const inputGradMs = await median(repeats, () => kernel('Conv2DBackpropInput', { dy, filter: w }, { inputShape: [2, 128, 128, 64] }));
  tf.dispose([x, w, dy]);
  const row = { backend, forwardMs, gradCamMs, filterGradMs, inputGradMs, trainStepMsPerScan: withTrainStep ? await trainStepMsPerScan(repeats) : null };
  // Printed as soon as measured: the pure-JS baseline takes long enough that a partial run should still say something.
  process.stderr.write(`\n${JSON.stringify(row)}\n`);
  return row;
}

async function trainStepMsPerScan(repeats: number): Promise<number> {
  const compact = buildClassifier('vgg16-compact', 1);
  const optimizer = tf.train.adam(1e-4);
  const batch = 4;
  const xs = tf.randomUniform([batch, 512, 512, 3], 0, 1, 'float32', 4);
  const ys = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
  const stepMs = await median(repeats, () =>
    tf.tidy(
      () => void optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, compact.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, true)!.dataSync(),
    ),
  );
  tf.dispose([xs, ys]);
  compact.dispose();
  optimizer.dispose();
  return stepMs / batch;
}

async function main(): Promise<void> {
  const repeats = option('repeats', 3);
  const cpuRepeats = option('cpu-repeats', 1);
  const backends = availableBackends().filter((b) => b !== 'cpu');
  const rows: Row[] = [];
  for (const backend of backends) rows.push(await measure(backend, repeats, true));
  const baseline = await measure('cpu', cpuRepeats, false);
  rows.push(baseline);
  const fmt = (ms: number) => `${ms.toFixed(0).padStart(8)} ms`;
  const ratio = (ms: number, base: number) => `${(base / ms).toFixed(1).padStart(6)}x`;
  console.log(
    `VGG16 512x512 (median of ${repeats} repeats after a warm-up; cpu baseline: ${cpuRepeats === 1 ? 'one cold run' : `median of ${cpuRepeats}`}; backends installed: ${availableBackends().join(', ')})`,
  );
  console.log('backend          forward/scan  vs cpu   Grad-CAM/scan  vs cpu   dW conv        vs cpu   dX conv        vs cpu   compact train step/scan');
  for (const r of rows) {
    console.log(
      `${r.backend.padEnd(16)} ${fmt(r.forwardMs)} ${ratio(r.forwardMs, baseline.forwardMs)}  ${fmt(r.gradCamMs)} ${ratio(r.gradCamMs, baseline.gradCamMs)}  ` +
        `${fmt(r.filterGradMs)} ${ratio(r.filterGradMs, baseline.filterGradMs)}  ${fmt(r.inputGradMs)} ${ratio(r.inputGradMs, baseline.inputGradMs)}  ` +
        (r.trainStepMsPerScan === null ? '     not measured' : fmt(r.trainStepMsPerScan)),
    );
  }
  for (const r of rows.filter((row) => row !== baseline)) {
    console.log(
      `${r.backend}: Grad-CAM adds ${(r.gradCamMs - r.forwardMs).toFixed(0)} ms to a forward pass (${((r.gradCamMs / r.forwardMs - 1) * 100).toFixed(0)} %)`,
    );
  }
  console.log('dW/dX conv: gradients of a 3x3 convolution, 2 x 128x128x64 -> 128 channels (VGG16 block 2 size).');
  console.log('compact train step: Adam step on 4 scans of 512x512, per scan; not measured on pure JS (over 20 min per step).');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
