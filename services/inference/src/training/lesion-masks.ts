/**
 * Lesion masks next to a labelled folder, as `npm run phantoms` writes them: masks/<case_id>-AP.png and
 * -PA.png, 8-bit grey holding the labels themselves (0 background, 1 metastasis, 2 benign finding).
 * Real data usually has none; then localisation is simply not scored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import type { LabelledCase } from '../training/labelled-folder';
import { TrainingDataError } from '../training/labelled-folder';
import type { LesionMasks } from './pointing-game';

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
