import { generatePhantom } from '@bonescan/phantoms';
import type { ViewImage } from '../src';

/** A generated whole-body scan (seeded) as the views a writer takes. */
export function phantomViews(seed = 11, mbd = true): ViewImage[] {
  const phantom = generatePhantom({ seed, centre: 'A', mbd });
  const spacing: [number, number] = [phantom.pixelSpacingMm, phantom.pixelSpacingMm];
  return [
    { view: 'AP', width: phantom.width, height: phantom.height, pixels: phantom.views.AP, pixelSpacingMm: spacing },
    { view: 'PA', width: phantom.width, height: phantom.height, pixels: phantom.views.PA, pixelSpacingMm: spacing },
  ];
}

export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Root-mean-square difference relative to the image maximum. */
export function relativeRmse(a: Float32Array, b: Float32Array): number {
  let squares = 0;
  let peak = 0;
  for (let i = 0; i < a.length; i++) {
    squares += (a[i] - b[i]) ** 2;
    peak = Math.max(peak, a[i]);
  }
  return Math.sqrt(squares / a.length) / peak;
}

export function viewOf(views: ViewImage[], view: 'AP' | 'PA'): ViewImage {
  const found = views.find((v) => v.view === view);
  if (!found) throw new Error(`no ${view} view`);
  return found;
}
