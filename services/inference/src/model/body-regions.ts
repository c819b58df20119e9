/**
 * Names the body region under a point of a pre-processed whole-body view (256 wide x 512 high, head at the
 * top, patient centred). The map follows adult proportions as a fraction of body height: skull to ~12 %,
 * neck to ~17 %, chest to ~40 %, abdomen to ~52 %, pelvis to ~62 %, legs below; arms hang beside the trunk.
 * It is coarse on purpose: a hotspot's region is a reading aid, not a segmentation.
 */
import type { BodyRegion } from '@bonescan/clinical';
import { MODEL_INPUT } from '@bonescan/clinical';

export function bodyRegionAt(x: number, y: number): BodyRegion {
  const v = y / MODEL_INPUT.viewHeight;
  const lateral = Math.abs(x / MODEL_INPUT.viewWidth - 0.5); // 0 on the midline, 0.5 at the view's edge
  if (v < 0.12) return 'SKULL';
  if (v < 0.17) return lateral < 0.08 ? 'CERVICAL_SPINE' : 'SOFT_TISSUE';
  if (lateral > 0.22 && v < 0.55) return v < 0.24 ? 'SHOULDER' : 'UPPER_LIMB';
  if (v < 0.4) {
    if (lateral < 0.035) return 'THORACIC_SPINE';
    if (lateral < 0.06 && v < 0.32) return 'STERNUM';
    return 'RIBS';
  }
  if (v < 0.52) {
    if (lateral < 0.05) return 'LUMBAR_SPINE';
    return lateral < 0.14 ? 'KIDNEY' : 'SOFT_TISSUE';
  }
  if (v < 0.62) return lateral < 0.05 && v > 0.57 ? 'BLADDER' : 'PELVIS';
  return 'LOWER_LIMB';
}
