/**
 * Names the body region under a point of a pre-processed whole-body view (256 wide x 512 high, head up).
 * Positions are taken relative to the patient, not the image: the body's extent (top of skull to soles) and
 * midline are found in the view itself, because acquisitions leave different margins above and below.
 * Heights are fractions of body height, widths distance from the midline in the same unit, following adult
 * proportions: skull to 13 %, neck to 18 %, chest to 36 %, abdomen to 45 %, pelvis to 56 %, legs below;
 * arms beside the trunk. Coarse on purpose: a hotspot's region is a reading aid, not a segmentation.
 */
import type { BodyRegion } from '@bonescan/clinical';
import { MODEL_INPUT } from '@bonescan/clinical';

export interface BodyFrame {
  /** First and last row with body counts, and the count-weighted mean column. */
  top: number;
  bottom: number;
  midline: number;
}

/** The whole view, when nothing better is known. */
export const WHOLE_VIEW: BodyFrame = { top: 0, bottom: MODEL_INPUT.viewHeight - 1, midline: MODEL_INPUT.viewWidth / 2 };

/** Counts above this fraction of the view's maximum are body, below it background. */
const BODY_LEVEL = 0.05;

/** `view` is one pre-processed view (256 x 512, values in [0, 1]). */
export function bodyFrameOf(view: Float32Array, width = MODEL_INPUT.viewWidth, height = MODEL_INPUT.viewHeight): BodyFrame {
  let top = -1;
  let bottom = -1;
  let weight = 0;
  let moment = 0;
  for (let y = 0; y < height; y++) {
    let bodyPixels = 0;
    for (let x = 0; x < width; x++) {
      const v = view[y * width + x];
      if (v > BODY_LEVEL) {
        bodyPixels++;
        weight += v;
        moment += v * x;
      }
    }
    // Two pixels, so a single hot noise pixel in the background does not stretch the body.
    if (bodyPixels >= 2) {
      if (top < 0) top = y;
      bottom = y;
    }
  }
  if (top < 0 || bottom - top < height / 8) return WHOLE_VIEW;
  return { top, bottom, midline: moment / weight };
}

export function bodyRegionAt(x: number, y: number, frame: BodyFrame = WHOLE_VIEW): BodyRegion {
  const bodyHeight = Math.max(1, frame.bottom - frame.top);
  const v = (y - frame.top) / bodyHeight;
  const lateral = Math.abs(x - frame.midline) / bodyHeight;
  if (v < 0.13) return 'SKULL';
  if (v < 0.18) return lateral < 0.03 ? 'CERVICAL_SPINE' : lateral < 0.11 ? 'SOFT_TISSUE' : 'SHOULDER';
  if (lateral > 0.12 && v < 0.56) return v < 0.23 ? 'SHOULDER' : 'UPPER_LIMB';
  if (v < 0.36) {
    if (lateral < 0.015) return 'THORACIC_SPINE';
    if (lateral < 0.03 && v < 0.3) return 'STERNUM';
    return lateral > 0.04 && lateral < 0.11 && v > 0.33 ? 'KIDNEY' : 'RIBS';
  }
  if (v < 0.45) {
    if (lateral < 0.02) return 'LUMBAR_SPINE';
    return lateral < 0.11 ? 'KIDNEY' : 'SOFT_TISSUE';
  }
  if (v < 0.56) return lateral < 0.03 && v > 0.48 ? 'BLADDER' : 'PELVIS';
  return 'LOWER_LIMB';
}
