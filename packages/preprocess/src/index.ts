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
  const columns = samplePositions(width, view.width);
  const rows = samplePositions(height, view.height);
  const src = view.pixels;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const r0 = rows.lower[y] * view.width;
    const r1 = rows.upper[y] * view.width;
    const wy = rows.weight[y];
    for (let x = 0; x < width; x++) {
      const c0 = columns.lower[x];
      const c1 = columns.upper[x];
      const wx = columns.weight[x];
      const top = src[r0 + c0] * (1 - wx) + src[r0 + c1] * wx;
      const bottom = src[r1 + c0] * (1 - wx) + src[r1 + c1] * wx;
      out[y * width + x] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

/** For each output index along one axis: the two source indices it falls between and the weight of the upper one. */
function samplePositions(outLength: number, inLength: number) {
  const lower = new Int32Array(outLength);
  const upper = new Int32Array(outLength);
  const weight = new Float32Array(outLength);
  const scale = inLength / outLength;
  for (let i = 0; i < outLength; i++) {
    const f = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inLength - 1);
    lower[i] = Math.floor(f);
    upper[i] = Math.min(lower[i] + 1, inLength - 1);
    weight[i] = f - lower[i];
  }
  return { lower, upper, weight };
}

/** Min–max to [0, 1] in place. A flat image (no counts, or uniform) becomes all zeros rather than NaN. */
function normaliseMinMax(values: Float32Array): Float32Array {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
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
    throw new PreprocessError(`${name} view has ${view.pixels.length} pixels but its size ${view.width}x${view.height} needs ${view.width * view.height}`);
  }
  for (let i = 0; i < view.pixels.length; i++) {
    const v = view.pixels[i];
    // v - v is NaN exactly for NaN and ±Infinity; cheaper than a global lookup of Number.isFinite per pixel.
    if (v - v !== 0) throw new PreprocessError(`${name} view has a non-finite pixel at index ${i}`);
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
