import type { PhantomCase } from '../src';

export function total(image: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < image.length; i++) sum += image[i];
  return sum;
}

export function hottest(image: Float32Array): number {
  let max = 0;
  for (let i = 0; i < image.length; i++) if (image[i] > max) max = image[i];
  return max;
}

/** Mean counts in a disk of the given radius (pixels) around (x, y). */
export function diskMean(image: Float32Array, width: number, [cx, cy]: [number, number], radius: number): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.round(cy - radius); y <= Math.round(cy + radius); y++) {
    for (let x = Math.round(cx - radius); x <= Math.round(cx + radius); x++) {
      if ((x - cx) ** 2 + (y - cy) ** 2 > radius * radius || x < 0 || x >= width || y < 0 || y * width >= image.length) continue;
      sum += image[y * width + x];
      n++;
    }
  }
  return sum / n;
}

/** The posterior view is mirrored: a landmark at x in the anterior view is at width-1-x in the posterior one. */
export function mirrored(phantom: PhantomCase, [x, y]: [number, number]): [number, number] {
  return [phantom.width - 1 - x, y];
}

/** Area under the ROC curve of a score for positives vs negatives (Mann–Whitney, ties count half). */
export function auc(positives: number[], negatives: number[]): number {
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
