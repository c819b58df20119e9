import { MODEL_INPUT } from '@bonescan/clinical';
import { createRandom } from '@bonescan/stats';
import { BENIGN_FINDING, METASTASIS } from './lesion-masks';
import { LesionPatchSampler, PATCH_SIZE, type PatchSource } from './lesion-patches';

const { width } = MODEL_INPUT;

/** A scan whose pixel values encode their own position (all distinct), with lesions painted as squares. */
function source(lesions: Array<{ x: number; y: number; label: number }>, offset = 0): PatchSource {
  const plane = new Float32Array(width * width);
  for (let i = 0; i < plane.length; i++) plane[i] = 0.05 + offset + i / (2 * plane.length);
  const labels = new Uint8Array(width * width);
  for (const { x, y, label } of lesions) {
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) labels[(y + dy) * width + x + dx] = label;
  }
  return { plane, lesions: labels };
}

/** Where a patch was cut from: its first row's values identify the corner (and whether it was flipped). */
function cornerOf(patch: Float32Array, scan: PatchSource): { x: number; y: number; flipped: boolean } {
  const first = patch[0];
  const last = patch[(PATCH_SIZE - 1) * MODEL_INPUT.channels];
  for (let y = 0; y <= width - PATCH_SIZE; y++) {
    for (let x = 0; x <= width - PATCH_SIZE; x++) {
      const row = y * width + x;
      if (scan.plane[row] === first && scan.plane[row + PATCH_SIZE - 1] === last) return { x, y, flipped: false };
      if (scan.plane[row + PATCH_SIZE - 1] === first && scan.plane[row] === last) return { x, y, flipped: true };
    }
  }
  throw new Error('patch not found in the scan');
}

describe('lesion patches', () => {
  const scan = source([
    { x: 100, y: 200, label: METASTASIS },
    { x: 400, y: 60, label: BENIGN_FINDING },
  ]);

  it('alternates patches holding a metastasis in their central half and patches holding none', () => {
    const clean = source([], 0.5);
    const sampler = new LesionPatchSampler([scan, clean], createRandom(3));
    const { data, labels } = sampler.batch(40);
    expect(labels).toEqual(Array.from({ length: 40 }, (_, k) => k % 2));
    const patchLength = PATCH_SIZE * PATCH_SIZE * MODEL_INPUT.channels;
    let flips = 0;
    labels.forEach((label, k) => {
      const patch = data.subarray(k * patchLength, (k + 1) * patchLength);
      const from = patch[0] >= 0.55 ? clean : scan;
      const { x, y, flipped } = cornerOf(patch, from);
      if (flipped) flips++;
      const holds = (cx: number, cy: number) => cx >= x && cx < x + PATCH_SIZE && cy >= y && cy < y + PATCH_SIZE;
      if (label === 1) {
        expect(from).toBe(scan);
        expect(100 - x).toBeGreaterThanOrEqual(PATCH_SIZE / 4 - 2);
        expect(100 - x).toBeLessThanOrEqual((3 * PATCH_SIZE) / 4 + 2);
        expect(200 - y).toBeGreaterThanOrEqual(PATCH_SIZE / 4 - 2);
        expect(200 - y).toBeLessThanOrEqual((3 * PATCH_SIZE) / 4 + 2);
      } else if (from === scan) {
        expect([-2, 2].some((d) => holds(100 + d, 200 + d) || holds(100 + d, 200 - d))).toBe(false);
      }
      expect(patch[1]).toBe(patch[0]);
      expect(patch[2]).toBe(patch[0]);
    });
    expect(flips).toBeGreaterThan(5);
    expect(flips).toBeLessThan(35);
  });

  it('draws the same patches for the same seed', () => {
    const a = new LesionPatchSampler([scan], createRandom(9)).batch(6);
    const b = new LesionPatchSampler([scan], createRandom(9)).batch(6);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('refuses masks without a metastasis', () => {
    expect(() => new LesionPatchSampler([source([{ x: 300, y: 300, label: BENIGN_FINDING }])], createRandom(1))).toThrow(
      'lesion-patch pre-training needs lesion masks that mark at least one metastasis',
    );
  });
});
