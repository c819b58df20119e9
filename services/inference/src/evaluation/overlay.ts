/** Grad-CAM overlays as PNG: the scan in grey (AP left, PA right) with the heat map blended in a warm palette. */
import { PNG } from 'pngjs';
import { MODEL_INPUT } from '@bonescan/clinical';
import type { HeatMap } from '../model/gradcam';

/** Black -> red -> yellow -> white ("hot"), the palette nuclear medicine readers are used to. */
function hot(value: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, value));
  return [Math.min(1, 3 * v), Math.min(1, Math.max(0, 3 * v - 1)), Math.max(0, 3 * v - 2)].map((c) => Math.round(255 * c)) as [number, number, number];
}

/**
 * `plane` is the pre-processed scan, one channel, 512 x 512. Heat below 0.2 is left out so the anatomy
 * stays readable; above it the palette is blended with 60 % opacity at the strongest.
 */
export function overlayPng(plane: Float32Array, heatmap: HeatMap): Buffer {
  const { width, height, viewWidth } = MODEL_INPUT;
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const grey = 255 * plane[y * width + x];
      const heat = x < viewWidth ? heatmap.AP[y * viewWidth + x] : heatmap.PA[y * viewWidth + x - viewWidth];
      const alpha = heat < 0.2 ? 0 : 0.6 * heat;
      const colour = hot(heat);
      const o = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) png.data[o + c] = Math.round((1 - alpha) * grey + alpha * colour[c]);
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
