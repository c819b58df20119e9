/**
 * Training checkpoints inside the in-progress folder (<out>.partial): after each epoch the weights, the Adam
 * state and the loop state are written to checkpoint.tmp and renamed over checkpoint, so a checkpoint on disk
 * is always whole. `--resume` continues from it; anything unreadable is a clear error, never a silent restart.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromFolder, saveLayersModelToFolder, ModelLoadError } from '../model/model-files';

export interface LoopState {
  /** Epochs finished. */
  epochsDone: number;
  /** Loss of each lesion-patch pre-training step once that stage is done; null before it (or without it). */
  patchLosses: number[] | null;
  validationAucByEpoch: number[];
  /** Mean training loss of each epoch. */
  lossByEpoch: number[];
  bestEpoch: number;
  bestAuc: number;
  /** Validation P(MBD) of the best epoch, for the threshold. */
  bestValidationProbabilities: number[];
  elapsedSeconds: number;
  /** Identifies data and recipe: a checkpoint of other data or another recipe cannot be resumed. */
  runKey: string;
}

const STATE_FILE = 'state.json';
const OPTIMIZER_FILE = 'optimizer.bin';
const OPTIMIZER_MANIFEST = 'optimizer.json';

export async function writeCheckpoint(dir: string, model: tf.LayersModel, optimizer: tf.Optimizer, state: LoopState): Promise<void> {
  const staging = `${dir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  await saveLayersModelToFolder(model, staging);
  const { data, specs } = await tf.io.encodeWeights(await optimizer.getWeights());
  fs.writeFileSync(path.join(staging, OPTIMIZER_FILE), Buffer.from(tf.io.CompositeArrayBuffer.join(data)));
  fs.writeFileSync(path.join(staging, OPTIMIZER_MANIFEST), JSON.stringify(specs));
  fs.writeFileSync(path.join(staging, STATE_FILE), JSON.stringify(state));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
}

export interface Checkpoint {
  model: tf.LayersModel;
  state: LoopState;
}

/** Reads a checkpoint and puts the Adam state back into `optimizer`. */
export async function readCheckpoint(dir: string, optimizer: tf.Optimizer, runKey: string): Promise<Checkpoint> {
  const corrupted = (why: string) =>
    new ModelLoadError(`checkpoint ${dir} is corrupted (${why}); delete ${path.dirname(dir)} and train again without --resume`);
  let state: LoopState;
  try {
    state = JSON.parse(fs.readFileSync(path.join(dir, STATE_FILE), 'utf8'));
  } catch (error) {
    throw corrupted(`${STATE_FILE}: ${(error as Error).message}`);
  }
  if (state.runKey !== runKey) {
    throw new ModelLoadError(
      `checkpoint ${dir} was made with other data or another recipe; resume with the same --data and options, or delete ${path.dirname(dir)}`,
    );
  }
  let model: tf.LayersModel;
  try {
    model = await loadLayersModelFromFolder(dir);
  } catch (error) {
    throw corrupted((error as Error).message);
  }
  try {
    const specs = JSON.parse(fs.readFileSync(path.join(dir, OPTIMIZER_MANIFEST), 'utf8'));
    const bytes = fs.readFileSync(path.join(dir, OPTIMIZER_FILE));
    const named = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, specs);
    await optimizer.setWeights(Object.entries(named).map(([name, tensor]) => ({ name, tensor })));
  } catch (error) {
    model.dispose();
    throw corrupted(`optimizer state: ${(error as Error).message}`);
  }
  return { model, state };
}
