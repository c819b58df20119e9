/** Test fixtures made by code: phantom sets through the real generator, ImageNet-style weight folders. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';

export function tempDir(prefix = 'bonescan-inference-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * A labelled phantom folder written by `npm run phantoms` in a child process. The generator's pixel loops
 * run many times slower inside jest's sandbox (every Math.* call is a sandboxed global lookup), so it runs
 * outside it, as users run it.
 */
export async function phantomSet(options: { n: number; prevalence: number; centre: 'A' | 'B' | 'C'; seed: number }): Promise<string> {
  const out = path.join(tempDir(), `phantoms-${options.centre}`);
  const args = ['-r', '@swc-node/register', 'packages/phantoms/src/cli.ts'];
  args.push('--n', String(options.n), '--prevalence', String(options.prevalence), '--centre', options.centre, '--seed', String(options.seed), '--out', out);
  await promisify(execFile)(process.execPath, args, { cwd: ROOT });
  return out;
}

/** A weights-only folder laid out as tensorflowjs_converter writes a Keras VGG16(include_top=False). */
export async function writeKerasStyleWeights(dir: string, model: tf.LayersModel, rename = (n: string) => `${n}:0`): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const named: tf.NamedTensorMap = {};
  for (const layer of model.layers.filter((l) => l.name.startsWith('block') && l.weights.length > 0)) {
    for (const variable of layer.weights) named[rename(`${layer.name}/${variable.originalName.split('/').pop()}`)] = variable.read();
  }
  const { data, specs } = await tf.io.encodeWeights(named);
  fs.writeFileSync(path.join(dir, 'group1-shard1of1.bin'), Buffer.from(tf.io.CompositeArrayBuffer.join(data)));
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({ format: 'layers-model', weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs }] }),
  );
}
