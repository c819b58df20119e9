/**
 * Pre-processing of one bone scan exactly as the reference study did it (Ibrahim et al. 2023, DESIGN §2):
 * each view resized to 256 wide x 512 high, min–max normalised to [0, 1] on its own, AP and PA placed side by
 * side (AP left), and the single channel repeated to the three channels VGG16 expects.
 * Training, evaluation and the inference worker all call `preprocessScan`, so a model always sees the same input.
 */
import { MODEL_INPUT } from '@bonescan/clinical';

/** One planar view's pixels, row-major, `width * height` values. */
export interface ViewImage {
  width: number;
  height: number;
  pixels: ArrayLike<number>;
}

export interface ScanViews {
  AP: ViewImage;
  PA: ViewImage;
}

export class PreprocessError extends Error {
  override name = 'PreprocessError';
}

/**
 * Bilinear resize with half-pixel centres (the convention of OpenCV and of tf.image.resizeBilinear with
 * halfPixelCenters): output pixel i samples the input at (i + 0.5) * in/out - 0.5, clamped to the edges.
 */
export function resizeBilinear(view: ViewImage, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const sx = view.width / width;
  const sy = view.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), view.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, view.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), view.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, view.width - 1);
      const wx = fx - x0;
      const top = view.pixels[y0 * view.width + x0] * (1 - wx) + view.pixels[y0 * view.width + x1] * wx;
      const bottom = view.pixels[y1 * view.width + x0] * (1 - wx) + view.pixels[y1 * view.width + x1] * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** Min–max to [0, 1] in place. A flat image (no counts, or uniform) becomes all zeros rather than NaN. */
function normaliseMinMax(values: Float32Array): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  for (let i = 0; i < values.length; i++) values[i] = range > 0 ? (values[i] - min) / range : 0;
  return values;
}

function checkView(name: string, view: ViewImage): void {
  if (!Number.isInteger(view.width) || !Number.isInteger(view.height) || view.width < 1 || view.height < 1) {
    throw new PreprocessError(`${name} view has an invalid size ${view.width}x${view.height}`);
  }
  if (view.pixels.length !== view.width * view.height) {
    throw new PreprocessError(
      `${name} view has ${view.pixels.length} pixels but its size ${view.width}x${view.height} needs ${view.width * view.height}`,
    );
  }
  for (let i = 0; i < view.pixels.length; i++) {
    if (!Number.isFinite(view.pixels[i])) throw new PreprocessError(`${name} view has a non-finite pixel at index ${i}`);
  }
}

/** One view resized to 256 x 512 and normalised to [0, 1]: the half of the model input it becomes. */
export function preprocessView(name: string, view: ViewImage): Float32Array {
  checkView(name, view);
  return normaliseMinMax(resizeBilinear(view, MODEL_INPUT.viewWidth, MODEL_INPUT.viewHeight));
}

/**
 * The model input of one scan: 512 x 512 x 3, row-major, channels last (HWC), AP on the left half and PA on
 * the right half, the same value in all three channels.
 */
export function preprocessScan(views: ScanViews): Float32Array {
  const ap = preprocessView('AP', views.AP);
  const pa = preprocessView('PA', views.PA);
  const { width, height, channels, viewWidth } = MODEL_INPUT;
  const out = new Float32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = x < viewWidth ? ap[y * viewWidth + x] : pa[y * viewWidth + x - viewWidth];
      const o = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) out[o + c] = value;
    }
  }
  return out;
}
