import type { FrameFormat } from '../codecs/frame';

/** Real values → unsigned stored samples plus the rescale that brings them back. */
export interface StoredFrame {
  raw: Uint8Array;
  format: FrameFormat;
  slope: number;
  intercept: number;
}

/**
 * Integer counts in range are stored as they are (slope 1), so lossless syntaxes give back exactly the values
 * written; anything else is scaled onto the full sample range and the rescale written beside it.
 */
// Looked up once: under jest's vm context every global property access (Math.x, Number.x) is ~50× slower.
const { round } = Math;
const { isFinite: finite, isInteger: integer } = Number;

export function toStoredFrame(pixels: Float32Array, width: number, height: number, bitsAllocated: 8 | 16): StoredFrame {
  const maxSample = bitsAllocated === 16 ? 0xffff : 0xff;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (const value of pixels) {
    if (!finite(value)) throw new Error('view pixels must be finite numbers');
    if (value < min) min = value;
    if (value > max) max = value;
    if (integers && !integer(value)) integers = false;
  }
  const exact = integers && min >= 0 && max <= maxSample;
  const intercept = exact ? 0 : Math.min(min, 0);
  const slope = exact ? 1 : (max - intercept) / maxSample || 1;
  const samples = bitsAllocated === 16 ? new Uint16Array(pixels.length) : new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) samples[i] = round((pixels[i] - intercept) / slope);
  // Uint16Array is little-endian on every platform Node runs on, which is the byte order the codecs expect.
  const raw = new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  return { raw, format: { width, height, bitsAllocated, bitsStored: bitsAllocated, signed: false }, slope, intercept };
}
