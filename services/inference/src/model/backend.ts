/**
 * Chooses where the model runs: a GPU through tfjs-node-gpu, native TensorFlow through tfjs-node, WebAssembly
 * (XNNPACK), or pure JavaScript. The first one installed wins; INFERENCE_BACKEND overrides. The native
 * packages are optional and never dependencies of this package (their install downloads libtensorflow), so
 * they are detected with require.resolve and loaded only when present.
 */
import * as tf from '@tensorflow/tfjs';
import { logger } from '../logger';
import { registerWasmConvolutionGradients } from './wasm-convolution-gradients';

export const BACKENDS = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

interface Candidate {
  name: BackendName;
  /** The npm package that provides it. */
  packageName: string;
  /** The name tfjs registers it under. */
  tfjsName: string;
}

const CANDIDATES: Candidate[] = [
  { name: 'tensorflow-gpu', packageName: '@tensorflow/tfjs-node-gpu', tfjsName: 'tensorflow' },
  { name: 'tensorflow', packageName: '@tensorflow/tfjs-node', tfjsName: 'tensorflow' },
  { name: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm', tfjsName: 'wasm' },
  { name: 'cpu', packageName: '@tensorflow/tfjs-backend-cpu', tfjsName: 'cpu' },
];

export class BackendError extends Error {
  override name = 'BackendError';
}

export function isInstalled(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

/** Backends whose package is installed here, in order of preference. */
export function availableBackends(): BackendName[] {
  return CANDIDATES.filter((c) => isInstalled(c.packageName)).map((c) => c.name);
}

let active: BackendName | undefined;

async function activate(candidate: Candidate): Promise<void> {
  // Loading the package registers its backend with tfjs as a side effect.
  require(candidate.packageName);
  if (candidate.name === 'wasm') registerWasmConvolutionGradients();
  const ok = await tf.setBackend(candidate.tfjsName);
  if (!ok) throw new BackendError(`the ${candidate.name} backend (${candidate.packageName}) failed to initialise`);
  await tf.ready();
}

/**
 * Activates and returns the backend: `preferred`, else INFERENCE_BACKEND, else the first installed.
 * Naming a backend that is not installed is an error, not a silent fallback: whoever asked for a GPU should know.
 */
export async function selectBackend(preferred: string | undefined = process.env.INFERENCE_BACKEND): Promise<BackendName> {
  const wanted = preferred?.trim() || undefined;
  if (wanted !== undefined && !(BACKENDS as readonly string[]).includes(wanted)) {
    throw new BackendError(`unknown inference backend "${wanted}"; choose one of ${BACKENDS.join(', ')}`);
  }
  const candidate = wanted
    ? CANDIDATES.find((c) => c.name === wanted)!
    : CANDIDATES.find((c) => isInstalled(c.packageName))!;
  if (!isInstalled(candidate.packageName)) {
    throw new BackendError(
      `inference backend "${candidate.name}" needs ${candidate.packageName}, which is not installed; installed: ${availableBackends().join(', ')}`,
    );
  }
  if (active !== candidate.name || tf.getBackend() !== candidate.tfjsName) {
    await activate(candidate);
    active = candidate.name;
    logger.info({ backend: candidate.name, package: candidate.packageName, requested: wanted ?? null }, 'inference backend selected');
  }
  return candidate.name;
}
