/**
 * Reads a scan's AP and PA views from the database and the blob store and turns them into the model input,
 * refusing inputs the model would answer with a meaningless number (no counts, non-finite pixels).
 */
import { BlobNotFoundError, BlobStore, decodePixels } from '@bonescan/blobstore';
import { VIEWS, type View } from '@bonescan/clinical';
import { preprocessScan, PreprocessError, type ViewImage } from '@bonescan/preprocess';
import type { DataSource } from 'typeorm';

/**
 * Why a scan cannot be predicted. `retryable` says whether trying again later could help (a blob the store
 * cannot find now may be a storage hiccup; NaN pixels stay NaN).
 */
export class UnprocessableScanError extends Error {
  override name = 'UnprocessableScanError';
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

interface ViewRow {
  view: View;
  pixel_blob_key: string;
  width: number;
  height: number;
}

/** A view whose pixels are all equal carries no uptake pattern; min–max would turn it into a black image. */
function checkHasCounts(view: View, pixels: Float32Array): void {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max === 0 && min === 0) throw new UnprocessableScanError(`${view} view has no counts: every pixel is 0`, false);
  if (max === min) throw new UnprocessableScanError(`${view} view is uniform (every pixel is ${max}): no uptake pattern to read`, false);
}

async function readView(blobs: BlobStore, row: ViewRow): Promise<ViewImage> {
  let bytes: Buffer;
  try {
    bytes = await blobs.get(row.pixel_blob_key);
  } catch (error) {
    if (error instanceof BlobNotFoundError) {
      throw new UnprocessableScanError(`${row.view} view pixels (blob ${row.pixel_blob_key}) are missing from the blob store`, true);
    }
    throw error;
  }
  let pixels: Float32Array;
  try {
    pixels = decodePixels(bytes);
  } catch (error) {
    throw new UnprocessableScanError(`${row.view} view pixels cannot be decoded: ${(error as Error).message}`, false);
  }
  if (pixels.length !== row.width * row.height) {
    throw new UnprocessableScanError(
      `${row.view} view blob holds ${pixels.length} pixels but the view is ${row.width}x${row.height} (${row.width * row.height})`,
      false,
    );
  }
  return { width: row.width, height: row.height, pixels };
}

/** The pre-processed model input (512 x 512 x 3) of one scan. */
export async function readScanInput(dataSource: DataSource, blobs: BlobStore, scanId: string): Promise<Float32Array> {
  const rows: ViewRow[] = await dataSource.query(
    `SELECT v.view, v.pixel_blob_key, v.width, v.height FROM scans s JOIN scan_views v ON v.scan_id = s.id WHERE s.id = $1`,
    [scanId],
  );
  const missing = VIEWS.filter((view) => !rows.some((row) => row.view === view));
  if (missing.length === VIEWS.length) throw new UnprocessableScanError('the scan does not exist or has no views', false);
  if (missing.length > 0) throw new UnprocessableScanError(`the scan has no ${missing.join(' or ')} view; the model needs both AP and PA`, false);
  const views = {} as Record<View, ViewImage>;
  for (const row of rows) views[row.view] = await readView(blobs, row);
  try {
    // Non-finite pixels are caught here, by the shared pre-processing, before the flatness check would choke on NaN.
    const input = preprocessScan(views);
    for (const view of VIEWS) checkHasCounts(view, views[view].pixels as Float32Array);
    return input;
  } catch (error) {
    if (error instanceof PreprocessError) throw new UnprocessableScanError(error.message, false);
    throw error;
  }
}
