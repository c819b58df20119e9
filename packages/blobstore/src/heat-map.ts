import { MODEL_INPUT, VIEWS, type View } from '@bonescan/clinical';
import { decodePixels, encodePixels } from './pixels';

/**
 * The heat-map blob, the one place that knows its layout. A prediction's Grad-CAM has one map per view, each
 * in the model's input space — the pre-processed view, MODEL_INPUT's 256 wide × 512 high — not in the view's
 * own pixels (a 256 × 1024 camera view is twice as tall). The blob holds the maps in VIEWS order (AP, then
 * PA), each row-major Float32 in [0, 1], back to back, with the pixel codec's byte order; nothing else.
 */
export const HEAT_MAP = { width: MODEL_INPUT.viewWidth, height: MODEL_INPUT.viewHeight, views: VIEWS } as const;

/** One map per view, each HEAT_MAP.width × HEAT_MAP.height values, row-major. */
export type HeatMaps = Readonly<Record<View, Float32Array>>;

const VALUES_PER_VIEW = HEAT_MAP.width * HEAT_MAP.height;
const BLOB_BYTES = VIEWS.length * VALUES_PER_VIEW * Float32Array.BYTES_PER_ELEMENT;

/** A map or blob that is not the heat-map format: the wrong size, never silently cut or padded. */
export class HeatMapFormatError extends Error {}

export function encodeHeatMaps(maps: HeatMaps): Uint8Array {
  const values = new Float32Array(VIEWS.length * VALUES_PER_VIEW);
  VIEWS.forEach((view, index) => {
    const map = maps[view];
    if (map.length !== VALUES_PER_VIEW) {
      throw new HeatMapFormatError(`The ${view} heat map has ${map.length} values; a heat map is ${HEAT_MAP.width} × ${HEAT_MAP.height} = ${VALUES_PER_VIEW}`);
    }
    values.set(map, index * VALUES_PER_VIEW);
  });
  return encodePixels(values);
}

export function decodeHeatMaps(bytes: Uint8Array): HeatMaps {
  if (bytes.byteLength !== BLOB_BYTES) {
    throw new HeatMapFormatError(
      `A heat-map blob of ${bytes.byteLength} bytes is not ${VIEWS.join(' and ')} maps of ${HEAT_MAP.width} × ${HEAT_MAP.height} Float32 values (${BLOB_BYTES} bytes)`,
    );
  }
  const values = decodePixels(bytes);
  const mapOf = (index: number) => values.subarray(index * VALUES_PER_VIEW, (index + 1) * VALUES_PER_VIEW);
  return Object.fromEntries(VIEWS.map((view, index) => [view, mapOf(index)])) as Record<View, Float32Array>;
}
