/**
 * Hotspots: the peaks of a Grad-CAM heat map a reader should look at. A peak is a pixel that is the maximum
 * of its neighbourhood and above a threshold; peaks closer than the neighbourhood to a stronger one are the
 * same hotspot and dropped.
 */
import type { BodyRegion, View } from '@bonescan/clinical';
import type { HeatMap } from './gradcam';
import { bodyRegionAt, WHOLE_VIEW, type BodyFrame } from './body-regions';

export interface Hotspot {
  view: View;
  /** Pixel coordinates in the pre-processed 256 x 512 view. */
  x: number;
  y: number;
  /** Heat-map value at the peak, 0..1. */
  intensity: number;
  region: BodyRegion;
}

export interface HotspotOptions {
  /** Minimum heat-map value of a hotspot. */
  threshold?: number;
  /** Half-size of the neighbourhood a peak must dominate, in pixels: one cell of block5 is 16 px. */
  radius?: number;
  /** At most this many, strongest first. */
  limit?: number;
  /** Where the patient lies in each view (see bodyFrameOf), to name regions; default the whole view. */
  frames?: Partial<Record<View, BodyFrame>>;
}

/** Maximum over a (2r+1) window along one axis. Plain comparisons: this loop runs ~10^7 times per scan. */
function maxAlong(values: Float32Array, width: number, height: number, radius: number, alongRows: boolean): Float32Array {
  const out = new Float32Array(values.length);
  const [length, lines, step, lineStep] = alongRows ? [width, height, 1, width] : [height, width, width, 1];
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep;
    for (let i = 0; i < length; i++) {
      const from = i - radius < 0 ? 0 : i - radius;
      const to = i + radius > length - 1 ? length - 1 : i + radius;
      let m = values[base + from * step];
      for (let j = from + 1; j <= to; j++) {
        const v = values[base + j * step];
        if (v > m) m = v;
      }
      out[base + i * step] = m;
    }
  }
  return out;
}

/** Maximum over a (2r+1) x (2r+1) window, as two 1-D passes. */
function maxFilter(values: Float32Array, width: number, height: number, radius: number): Float32Array {
  return maxAlong(maxAlong(values, width, height, radius, true), width, height, radius, false);
}

function peaksOf(view: View, map: Float32Array, width: number, height: number, threshold: number, radius: number, frame: BodyFrame): Hotspot[] {
  const dominant = maxFilter(map, width, height, radius);
  const peaks: Hotspot[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = map[y * width + x];
      if (value >= threshold && value === dominant[y * width + x]) {
        peaks.push({ view, x, y, intensity: value, region: bodyRegionAt(x, y, frame) });
      }
    }
  }
  return peaks;
}

export function findHotspots(heatmap: HeatMap, options: HotspotOptions = {}): Hotspot[] {
  const { threshold = 0.5, radius = 16, limit = 10, frames = {} } = options;
  const candidates = (['AP', 'PA'] as const)
    .flatMap((view) => peaksOf(view, heatmap[view], heatmap.width, heatmap.height, threshold, radius, frames[view] ?? WHOLE_VIEW))
    .sort((a, b) => b.intensity - a.intensity);
  // A plateau (an upsampled cell at the maximum) yields several equal maxima side by side: peaks closer than
  // two neighbourhoods to a stronger or equal one are the same hotspot.
  const kept: Hotspot[] = [];
  for (const c of candidates) {
    const near = kept.some((k) => k.view === c.view && Math.hypot(k.x - c.x, k.y - c.y) <= 2 * radius);
    if (!near) kept.push(c);
    if (kept.length === limit) break;
  }
  return kept;
}
