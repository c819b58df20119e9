import { MODEL_INPUT } from '@bonescan/clinical';

/** A point in the model's space of one view: the view stretched to MODEL_INPUT's 256 wide × 512 high. */
export interface ModelPoint {
  x: number;
  y: number;
}

/** Where a point sits across a view, as fractions of its width and height (0 = left or top edge, 1 = right or bottom). */
export interface ViewFraction {
  x: number;
  y: number;
}

/**
 * The one mapping from the model's space (hotspots, heat maps) to a view. Pre-processing resizes each view
 * to 256 × 512 with half-pixel centres, so model pixel i covers [i, i + 1) of 256 (or 512) equal parts of
 * the view whatever the view's own size: its centre lies at (i + 0.5) / 256 of the width. The same fraction
 * places a ring on the displayed image, which is the view drawn over its element's box.
 */
export function modelPointInView(point: ModelPoint): ViewFraction {
  return { x: (point.x + 0.5) / MODEL_INPUT.viewWidth, y: (point.y + 0.5) / MODEL_INPUT.viewHeight };
}
