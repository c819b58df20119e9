/**
 * Lesion masks next to a labelled folder, as `npm run phantoms` writes them: masks/<case_id>-AP.png and
 * -PA.png, 8-bit grey holding the labels themselves (0 background, 1 metastasis, 2 benign finding).
 * Real data usually has none; then localisation is simply not scored and lesion-patch pre-training is unavailable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { MODEL_INPUT, type View } from '@bonescan/clinical';
import type { LabelledCase } from './labelled-folder';
import { TrainingDataError } from './labelled-folder';

/** 1 = metastasis, 2 = benign finding, 0 = neither; row-major, at the view's acquired size. */
export interface LesionMasks {
  AP: Uint8Array;
  PA: Uint8Array;
  width: number;
  height: number;
}

export const METASTASIS = 1;
export const BENIGN_FINDING = 2;

function readMaskPng(file: string): { data: Uint8Array; width: number; height: number } {
  let png: PNG;
  try {
    png = PNG.sync.read(fs.readFileSync(file));
  } catch (error) {
    throw new TrainingDataError(`lesion mask ${file} is not a readable PNG: ${(error as Error).message}`);
  }
  // pngjs always decodes to RGBA; a grey mask has its value in every colour channel.
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4];
  return { data, width: png.width, height: png.height };
}

export function readLesionMasks(scan: LabelledCase): LesionMasks | undefined {
  const fileOf = (view: string) => path.join(scan.folder, 'masks', `${scan.caseId}-${view}.png`);
  if (!fs.existsSync(fileOf('AP')) || !fs.existsSync(fileOf('PA'))) return undefined;
  const ap = readMaskPng(fileOf('AP'));
  const pa = readMaskPng(fileOf('PA'));
  if (ap.width !== pa.width || ap.height !== pa.height) {
    throw new TrainingDataError(`lesion masks of case ${scan.caseId} differ in size (${ap.width}x${ap.height} vs ${pa.width}x${pa.height})`);
  }
  return { AP: ap.data, PA: pa.data, width: ap.width, height: ap.height };
}

/**
 * The label under pixel (x, y) of a pre-processed view (256 x 512), by nearest neighbour from the acquired
 * size: the one mapping used wherever masks meet the model's geometry.
 */
export function lesionLabelAt(masks: LesionMasks, view: View, x: number, y: number): number {
  const mx = Math.min(masks.width - 1, Math.floor(((x + 0.5) * masks.width) / MODEL_INPUT.viewWidth));
  const my = Math.min(masks.height - 1, Math.floor(((y + 0.5) * masks.height) / MODEL_INPUT.viewHeight));
  return masks[view][my * masks.width + mx];
}

/** The masks laid out as the model input's plane (512 x 512, AP left, PA right). */
export function lesionPlane(masks: LesionMasks): Uint8Array {
  const { width, height, viewWidth } = MODEL_INPUT;
  const plane = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      plane[y * width + x] = x < viewWidth ? lesionLabelAt(masks, 'AP', x, y) : lesionLabelAt(masks, 'PA', x - viewWidth, y);
    }
  }
  return plane;
}
