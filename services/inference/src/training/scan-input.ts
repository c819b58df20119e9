/** From a labelled case's DICOM files to the model input, through the shared pre-processing. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pairViews, readBoneScanAsync } from '@bonescan/dicom';
import { preprocessScan } from '@bonescan/preprocess';
import { MODEL_INPUT } from '@bonescan/clinical';
import { LabelledCase, TrainingDataError } from './labelled-folder';

const PLANE = MODEL_INPUT.width * MODEL_INPUT.height;

/**
 * The pre-processed scan as ONE channel (512 x 512): the three model channels are copies, so keeping one
 * makes a cached data set three times smaller. `expandChannels` restores the model input exactly.
 */
export async function readScanPlane(scan: LabelledCase): Promise<Float32Array> {
  const objects = [];
  for (const file of scan.files) {
    try {
      objects.push(await readBoneScanAsync(new Uint8Array(fs.readFileSync(file))));
    } catch (error) {
      throw new TrainingDataError(`case ${scan.caseId}: ${path.basename(file)} is not a readable bone scan: ${(error as Error).message}`);
    }
  }
  const views = pairViews(objects);
  if (!views.AP || !views.PA) {
    throw new TrainingDataError(`case ${scan.caseId} lacks its ${views.AP ? 'PA' : 'AP'} view; a scan needs both`);
  }
  const input = preprocessScan({ AP: views.AP, PA: views.PA });
  const plane = new Float32Array(PLANE);
  for (let i = 0; i < PLANE; i++) plane[i] = input[i * MODEL_INPUT.channels];
  return plane;
}

/** 512 x 512 x 3 from one plane, optionally mirrored left–right (AP and PA swap sides, each mirrored). */
export function expandChannels(plane: Float32Array, flip = false, out = new Float32Array(PLANE * MODEL_INPUT.channels)): Float32Array {
  const { width, height, channels } = MODEL_INPUT;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = plane[y * width + (flip ? width - 1 - x : x)];
      const o = (y * width + x) * channels;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
    }
  }
  return out;
}
