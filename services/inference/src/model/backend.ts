/**
 * Chooses where the model runs: a GPU through tfjs-node-gpu, native TensorFlow through tfjs-node, WebAssembly
 * (XNNPACK), or pure JavaScript. The first one installed wins; INFERENCE_BACKEND overrides. The native
 * packages are optional and never dependencies of this package (their install downloads libtensorflow), so
 * they are detected with require.resolve and loaded only when present.
 */
import * as tf from '@tensorflow/tfjs';
import { INFERENCE_BACKENDS, type InferenceBackend } from '@bonescan/config';
import { createLogger } from '@bonescan/logger';
import { registerWasmConvolutionGradients } from './wasm-convolution-gradients';

/** The names live in the configuration, which accepts no other INFERENCE_BACKEND; each has its package below. */
export { INFERENCE_BACKENDS as BACKENDS, type InferenceBackend as BackendName };

const logger = createLogger('inference');

interface Candidate {
  name: InferenceBackend;
  /** The npm package that provides it. */
  packageName: string;
  /** The name tfjs registers it under. */
  tfjsName: string;
}

/** Keyed by every backend name, so a name without its package does not compile. */
const PROVIDERS: Record<InferenceBackend, Omit<Candidate, 'name'>> = {
  'tensorflow-gpu': { packageName: '@tensorflow/tfjs-node-gpu', tfjsName: 'tensorflow' },
  tensorflow: { packageName: '@tensorflow/tfjs-node', tfjsName: 'tensorflow' },
  wasm: { packageName: '@tensorflow/tfjs-backend-wasm', tfjsName: 'wasm' },
  cpu: { packageName: '@tensorflow/tfjs-backend-cpu', tfjsName: 'cpu' },
};
/** In order of preference. */
const CANDIDATES: Candidate[] = INFERENCE_BACKENDS.map((name) => ({ name, ...PROVIDERS[name] }));

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
export function availableBackends(): InferenceBackend[] {
  return CANDIDATES.filter((c) => isInstalled(c.packageName)).map((c) => c.name);
}

let active: InferenceBackend | undefined;

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
export async function selectBackend(preferred: string | undefined = process.env.INFERENCE_BACKEND): Promise<InferenceBackend> {
  const wanted = preferred?.trim() || undefined;
  if (wanted !== undefined && !(INFERENCE_BACKENDS as readonly string[]).includes(wanted)) {
    throw new BackendError(`unknown inference backend "${wanted}"; choose one of ${INFERENCE_BACKENDS.join(', ')}`);
  }
  const candidate = wanted ? CANDIDATES.find((c) => c.name === wanted)! : CANDIDATES.find((c) => isInstalled(c.packageName))!;
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
