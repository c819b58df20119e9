import * as tf from '@tensorflow/tfjs';
import { availableBackends, selectBackend, BackendError } from './backend';

describe('backend selection', () => {
  it('lists what is installed here in order of preference: no native TensorFlow, so wasm then cpu', () => {
    expect(availableBackends()).toEqual(['wasm', 'cpu']);
  });

  it('takes the first installed backend by default and honours an explicit choice', async () => {
    expect(await selectBackend('')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reads INFERENCE_BACKEND when no choice is passed', async () => {
    const saved = process.env.INFERENCE_BACKEND;
    process.env.INFERENCE_BACKEND = 'wasm';
    try {
      expect(await selectBackend()).toBe('wasm');
    } finally {
      if (saved === undefined) delete process.env.INFERENCE_BACKEND;
      else process.env.INFERENCE_BACKEND = saved;
    }
  });

  it('refuses a backend that is not installed or does not exist, saying which are', async () => {
    await expect(selectBackend('tensorflow-gpu')).rejects.toThrow(/needs @tensorflow\/tfjs-node-gpu, which is not installed; installed: wasm, cpu/);
    await expect(selectBackend('cuda')).rejects.toThrow(BackendError);
    await expect(selectBackend('cuda')).rejects.toThrow(/unknown inference backend "cuda"/);
  });
});
