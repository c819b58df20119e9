import { StatisticsError } from './errors';

/**
 * Seeded pseudo-random generator (mulberry32): uniform floats in [0, 1).
 * Every resampling in this package draws from it so a figure reported with its
 * seed can be reproduced exactly, on any machine.
 */
export function createRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new StatisticsError(`seed must be an integer, got ${seed}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
