import { heatMapMaximum, pointingHit } from './pointing-game';
import type { LesionMasks } from '../training/lesion-masks';

const W = 256;
const H = 512;

function heatmapPeakingAt(view: 'AP' | 'PA', x: number, y: number) {
  const AP = new Float32Array(W * H);
  const PA = new Float32Array(W * H);
  (view === 'AP' ? AP : PA)[y * W + x] = 1;
  return { AP, PA, width: W, height: H };
}

/** Masks at an acquired size of 128 x 1024 (half as wide, twice as tall as the pre-processed view). */
function masksWith(view: 'AP' | 'PA', x0: number, y0: number, x1: number, y1: number, value = 1): LesionMasks {
  const masks = { AP: new Uint8Array(128 * 1024), PA: new Uint8Array(128 * 1024), width: 128, height: 1024 };
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) masks[view][y * 128 + x] = value;
  return masks;
}

describe('pointing game', () => {
  it('finds the heat-map maximum across both views', () => {
    expect(heatMapMaximum(heatmapPeakingAt('PA', 40, 300))).toEqual({ view: 'PA', x: 40, y: 300 });
  });

  it('hits when the maximum lies on a metastasis, mapping the mask to the 256 x 512 view', () => {
    // mask pixels x 20..22, y 600..604 at 128x1024 -> view x 40..45, y 300..302
    const masks = masksWith('PA', 20, 600, 22, 604);
    expect(pointingHit(heatmapPeakingAt('PA', 42, 301), masks)).toBe(true);
  });

  it('allows 15 px of tolerance and no more', () => {
    const masks = masksWith('PA', 20, 600, 22, 604); // view x 40..45
    expect(pointingHit(heatmapPeakingAt('PA', 60, 301), masks)).toBe(true); // 15 px right of x = 45
    expect(pointingHit(heatmapPeakingAt('PA', 62, 301), masks)).toBe(false); // 17 px
  });

  it('misses in the other view, and on benign findings', () => {
    expect(pointingHit(heatmapPeakingAt('AP', 42, 301), masksWith('PA', 20, 600, 22, 604))).toBe(false);
    expect(pointingHit(heatmapPeakingAt('PA', 42, 301), masksWith('PA', 20, 600, 22, 604, 2))).toBe(false);
  });
});
