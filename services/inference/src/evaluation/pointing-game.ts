/**
 * Pointing game (Zhang et al. 2016): a heat map "hits" when its maximum falls on a metastasis (benign findings in the mask do not count), with a tolerance of
 * 15 pixels as in the original protocol (here in the pre-processed 256 x 512 view). Masks come at the view's
 * acquired size and are mapped to the pre-processed geometry by nearest neighbour.
 */
import type { View } from '@bonescan/clinical';
import { MODEL_INPUT } from '@bonescan/clinical';
import type { HeatMap } from '../model/gradcam';
import { lesionLabelAt, METASTASIS, type LesionMasks } from '../training/lesion-masks';

export const POINTING_TOLERANCE_PX = 15;

export function heatMapMaximum(heatmap: HeatMap): { view: View; x: number; y: number } {
  let best = { view: 'AP' as View, index: 0, value: -Infinity };
  for (const view of ['AP', 'PA'] as const) {
    const map = heatmap[view];
    for (let i = 0; i < map.length; i++) if (map[i] > best.value) best = { view, index: i, value: map[i] };
  }
  return { view: best.view, x: best.index % heatmap.width, y: Math.floor(best.index / heatmap.width) };
}

/** True when a metastasis pixel lies within the tolerance of the heat map's maximum, in the same view. */
export function pointingHit(heatmap: HeatMap, masks: LesionMasks, tolerance = POINTING_TOLERANCE_PX): boolean {
  const peak = heatMapMaximum(heatmap);
  for (let dy = -tolerance; dy <= tolerance; dy++) {
    for (let dx = -tolerance; dx <= tolerance; dx++) {
      if (dx * dx + dy * dy > tolerance * tolerance) continue;
      const x = peak.x + dx;
      const y = peak.y + dy;
      if (x < 0 || y < 0 || x >= MODEL_INPUT.viewWidth || y >= MODEL_INPUT.viewHeight) continue;
      if (lesionLabelAt(masks, peak.view, x, y) === METASTASIS) return true;
    }
  }
  return false;
}
