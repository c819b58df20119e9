/**
 * Reading and writing a model in the TensorFlow.js layers format (model.json + binary weight shards) on the
 * local disk. tfjs' own file:// handlers live in tfjs-node, which is optional here, so these are ours.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** Shards of 4 MB, as the tfjs converter writes them: small enough for git and for HTTP caches. */
const SHARD_BYTES = 4 * 1024 * 1024;

export interface WeightsFolder {
  modelTopology: object | undefined;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

const BYTES_PER_DTYPE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function bytesOf(spec: tf.io.WeightsManifestEntry): number {
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const size = BYTES_PER_DTYPE[dtype];
  if (size === undefined) throw new ModelLoadError(`weight ${spec.name} has an unsupported dtype ${dtype}`);
  return count * size;
}

/** Reads model.json and its shards, checking that every shard exists and the byte count matches the manifest. */
export function readWeightsFolder(dir: string): WeightsFolder {
  const jsonPath = path.join(dir, 'model.json');
  if (!fs.existsSync(jsonPath)) throw new ModelLoadError(`no model.json in ${dir}: not a TensorFlow.js layers model folder`);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (error) {
    throw new ModelLoadError(`${jsonPath} is not valid JSON (${(error as Error).message}); the file is corrupted`);
  }
  if (!Array.isArray(json.weightsManifest)) throw new ModelLoadError(`${jsonPath} has no weightsManifest`);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    weightSpecs.push(...group.weights);
    for (const shard of group.paths) {
      const shardPath = path.join(dir, shard);
      if (!fs.existsSync(shardPath)) throw new ModelLoadError(`weight shard ${shard} named in ${jsonPath} is missing`);
      const bytes = fs.readFileSync(shardPath);
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
  }
  const weightData = tf.io.CompositeArrayBuffer.join(buffers);
  const expected = weightSpecs.reduce((sum, spec) => sum + bytesOf(spec), 0);
  if (weightData.byteLength !== expected) {
    throw new ModelLoadError(
      `weights in ${dir} hold ${weightData.byteLength} bytes but model.json describes ${expected}; the shards are truncated or corrupted`,
    );
  }
  return { modelTopology: json.modelTopology, weightSpecs, weightData };
}

/** Loads a layers model (topology + weights) from a folder. */
export async function loadLayersModelFromFolder(dir: string): Promise<tf.LayersModel> {
  const { modelTopology, weightSpecs, weightData } = readWeightsFolder(dir);
  if (modelTopology === undefined) throw new ModelLoadError(`${dir}/model.json holds weights only, no model topology`);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs, weightData }));
  } catch (error) {
    throw new ModelLoadError(`the model in ${dir} cannot be rebuilt: ${(error as Error).message}`);
  }
}

/** Writes a layers model as model.json + 4 MB shards (group1-shardNofM.bin, as the tfjs converter names them). */
export async function saveLayersModelToFolder(model: tf.LayersModel, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
      const shardCount = Math.max(1, Math.ceil(data.byteLength / SHARD_BYTES));
      const paths: string[] = [];
      for (let i = 0; i < shardCount; i++) {
        const name = `group1-shard${i + 1}of${shardCount}.bin`;
        fs.writeFileSync(path.join(dir, name), data.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES));
        paths.push(name);
      }
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
      };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}
