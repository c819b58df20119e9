import { ApiError } from '../graphql/request';

export interface Raster {
  width: number;
  height: number;
  pixels: Float32Array;
}

/** Fetches a Float32 raster through the portal (views' pixels, heat maps); sizes come in headers. */
export async function fetchRaster(url: string): Promise<Raster> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    throw new ApiError('API_UNREACHABLE', 'The BoneScan API cannot be reached: the image could not be loaded');
  }
  if (response.status === 401) throw new ApiError('UNAUTHENTICATED', 'Your session has ended: sign in again');
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; errors?: Array<{ message: string }> };
    throw new ApiError(
      response.status === 502 ? 'API_UNREACHABLE' : 'INTERNAL',
      body.error ?? body.errors?.[0]?.message ?? `Image request failed (${response.status})`,
    );
  }
  const width = Number(response.headers.get('x-width'));
  const height = Number(response.headers.get('x-height'));
  const bytes = await response.arrayBuffer();
  // A raster cut short or mis-sized would paint shifted rows: refuse it rather than show misplaced counts.
  if (!(width > 0 && height > 0) || bytes.byteLength !== width * height * Float32Array.BYTES_PER_ELEMENT) {
    throw new ApiError('INTERNAL', `The image arrived damaged (${bytes.byteLength} bytes for ${width} × ${height} pixels): reload the page`);
  }
  return { width, height, pixels: new Float32Array(bytes) };
}

export interface WindowLevel {
  /** Fractions of the image maximum mapped to the darkest and brightest grey. */
  low: number;
  high: number;
}

/** Grey levels of a view under a window; inverted shows hot bone dark on a light background. */
export function paintView(context: CanvasRenderingContext2D, raster: Raster, window: WindowLevel, invert: boolean): void {
  const { width, height, pixels } = raster;
  let max = 0;
  for (let i = 0; i < pixels.length; i += 1) if (pixels[i] > max) max = pixels[i];
  const low = window.low * max;
  const scale = 255 / Math.max(1e-6, (window.high - window.low) * max);
  const image = context.createImageData(width, height);
  const rgba = new Uint32Array(image.data.buffer);
  for (let i = 0; i < pixels.length; i += 1) {
    let grey = (pixels[i] - low) * scale;
    grey = grey < 0 ? 0 : grey > 255 ? 255 : grey | 0;
    if (invert) grey = 255 - grey;
    rgba[i] = 0xff000000 | (grey << 16) | (grey << 8) | grey; // little-endian ABGR
  }
  context.putImageData(image, 0, 0);
}

/** Heat below this is not drawn: the faint wash of a whole body would hide the image. */
export const HEAT_SHOWN_FROM = 0.15;

/** The colour of a heat value, 0..1: yellow where faint, red where strongest, as opaque as it is hot. */
export function heatColour(heat: number): [red: number, green: number, blue: number, alpha: number] {
  const value = Math.min(1, Math.max(0, heat));
  return [255, Math.round(255 * (1 - value)), 0, value < HEAT_SHOWN_FROM ? 0 : Math.round(255 * value)];
}

/** Grad-CAM as a warm colour wash whose transparency follows the map: cold areas stay see-through. */
export function paintHeatmap(context: CanvasRenderingContext2D, width: number, height: number, map: Float32Array): void {
  const image = context.createImageData(width, height);
  for (let i = 0; i < map.length; i += 1) image.data.set(heatColour(map[i]), i * 4);
  context.putImageData(image, 0, 0);
}
