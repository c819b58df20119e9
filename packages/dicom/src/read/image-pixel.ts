import type { DataSet } from 'dicom-parser';
import { DicomError } from '../errors';
import type { FrameFormat } from '../codecs/frame';
import { MAX_FRAMES, MAX_MATRIX_DIMENSION } from './limits';

/** The Image Pixel module of one object, validated before anything is decoded. */
export interface ImagePixel extends FrameFormat {
  frames: number;
  slope: number;
  intercept: number;
  pixelSpacingMm?: [number, number];
}

export function readImagePixel(dataSet: DataSet): ImagePixel {
  if (!dataSet.elements.x7fe00010) {
    const hint = dataSet.elements.x7fe00008 || dataSet.elements.x7fe00009 ? ' (float pixel data is not a gamma-camera image)' : '';
    throw new DicomError('NO_PIXEL_DATA', `object has no Pixel Data (7FE0,0010)${hint}`);
  }
  const height = dimension(dataSet, 'x00280010');
  const width = dimension(dataSet, 'x00280011');
  if (!height || !width) throw new DicomError('INVALID', 'Rows (0028,0010) and Columns (0028,0011) are required and must be non-zero');
  const frames = dataSet.intString('x00280008') ?? 1;
  if (height > MAX_MATRIX_DIMENSION || width > MAX_MATRIX_DIMENSION || frames > MAX_FRAMES * 64) {
    throw new DicomError(
      'MATRIX_TOO_LARGE',
      `declared matrix ${width}×${height}×${frames} frames exceeds the ${MAX_MATRIX_DIMENSION}×${MAX_MATRIX_DIMENSION} limit for a whole-body view`,
    );
  }
  if (!Number.isInteger(frames) || frames < 1 || frames > MAX_FRAMES) {
    throw new DicomError('INVALID', `Number of Frames is ${frames}; a whole-body object holds one view or two (anterior + posterior)`);
  }
  const samples = dataSet.uint16('x00280002') ?? 1;
  const photometric = (dataSet.string('x00280004') ?? 'MONOCHROME2').toUpperCase();
  if (samples !== 1 || !photometric.startsWith('MONOCHROME')) {
    throw new DicomError('INVALID', `${photometric} with ${samples} samples per pixel is not a gamma-camera count image (MONOCHROME1/2 expected)`);
  }
  const bitsAllocated = dataSet.uint16('x00280100');
  if (bitsAllocated !== 8 && bitsAllocated !== 16) throw new DicomError('INVALID', `Bits Allocated ${bitsAllocated} is not supported (8 or 16)`);
  const bitsStored = dataSet.uint16('x00280101') ?? bitsAllocated;
  if (bitsStored < 1 || bitsStored > bitsAllocated) throw new DicomError('INVALID', `Bits Stored ${bitsStored} does not fit Bits Allocated ${bitsAllocated}`);
  const slope = dataSet.floatString('x00281053') ?? 1;
  const intercept = dataSet.floatString('x00281052') ?? 0;
  if (!Number.isFinite(slope) || !Number.isFinite(intercept) || slope === 0)
    throw new DicomError('INVALID', `Rescale Slope ${slope} / Intercept ${intercept} are not usable`);
  return {
    width,
    height,
    frames,
    bitsAllocated,
    bitsStored,
    signed: dataSet.uint16('x00280103') === 1,
    slope,
    intercept,
    pixelSpacingMm: pixelSpacing(dataSet),
  };
}

/** Rows/Columns are US, but a malformed implicit-VR object can carry 4 bytes; read what is there, then judge it. */
function dimension(dataSet: DataSet, tag: string): number | undefined {
  return dataSet.elements[tag]?.length === 4 ? dataSet.uint32(tag) : dataSet.uint16(tag);
}

function pixelSpacing(dataSet: DataSet): [number, number] | undefined {
  const row = dataSet.floatString('x00280030', 0);
  const column = dataSet.floatString('x00280030', 1);
  return row && column && row > 0 && column > 0 ? [row, column] : undefined;
}

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Little-endian raw samples of one frame → real values: mask to Bits Stored, sign-extend, apply the rescale. */
export function samplesToValues(raw: Uint8Array, image: ImagePixel): Float32Array {
  const count = image.width * image.height;
  const out = new Float32Array(count);
  // Plain unsigned 16-bit counts, as most gamma cameras send them: the values are the samples, and a native
  // conversion is several times faster than the loop below (it is most of ingest's decode time for uncompressed objects).
  if (
    image.bitsAllocated === 16 &&
    image.bitsStored === 16 &&
    !image.signed &&
    image.slope === 1 &&
    image.intercept === 0 &&
    LITTLE_ENDIAN &&
    raw.byteOffset % 2 === 0 &&
    raw.length >= 2 * count
  ) {
    out.set(new Uint16Array(raw.buffer, raw.byteOffset, count));
    return out;
  }
  const mask = image.bitsStored >= 32 ? 0xffffffff : (1 << image.bitsStored) - 1;
  const signBit = 1 << (image.bitsStored - 1);
  const wide = image.bitsAllocated === 16;
  for (let i = 0; i < count; i++) {
    let stored = (wide ? raw[2 * i] | (raw[2 * i + 1] << 8) : raw[i]) & mask;
    if (image.signed && stored & signBit) stored -= mask + 1;
    out[i] = stored * image.slope + image.intercept;
  }
  return out;
}
