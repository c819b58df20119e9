import { DicomError } from '../errors';
import { bytesPerFrame, type FrameFormat } from './frame';

// DICOM RLE (PS3.5 Annex G): a 64-byte header (segment count + 15 offsets), then one PackBits segment per byte
// plane, most significant plane first. Our own code rather than a WASM codec: it runs synchronously, needs no
// initialisation, and can say exactly which segment is corrupt.

const HEADER_BYTES = 64;

export function decodeRleFrame(encoded: Uint8Array, format: FrameFormat): Uint8Array {
  const planes = format.bitsAllocated / 8;
  const pixelCount = format.width * format.height;
  if (encoded.length < HEADER_BYTES) throw corrupt(`RLE frame of ${encoded.length} bytes is shorter than its 64-byte header`);
  const header = new DataView(encoded.buffer, encoded.byteOffset, HEADER_BYTES);
  const segmentCount = header.getUint32(0, true);
  if (segmentCount !== planes) throw corrupt(`RLE header declares ${segmentCount} segments, ${planes} expected for ${format.bitsAllocated}-bit samples`);
  const offsets = Array.from({ length: segmentCount }, (_, i) => header.getUint32(4 + 4 * i, true));
  const decoded = new Uint8Array(pixelCount * planes);
  for (let segment = 0; segment < segmentCount; segment++) {
    const start = offsets[segment];
    const end = segment + 1 < segmentCount ? offsets[segment + 1] : encoded.length;
    if (start < HEADER_BYTES || end > encoded.length || end <= start) {
      throw corrupt(`RLE segment ${segment + 1} has offsets ${start}..${end} outside the ${encoded.length}-byte frame`);
    }
    // Little-endian output: plane 0 (most significant) lands on byte planes-1 of each sample.
    unpackSegment(encoded.subarray(start, end), decoded, planes - 1 - segment, planes, pixelCount, segment + 1);
  }
  return decoded;
}

function unpackSegment(segment: Uint8Array, out: Uint8Array, firstByte: number, stride: number, pixelCount: number, segmentNumber: number): void {
  let written = 0;
  let read = 0;
  while (written < pixelCount && read < segment.length) {
    const header = segment[read++];
    if (header < 128) {
      const literal = header + 1;
      if (read + literal > segment.length || written + literal > pixelCount) break;
      for (let i = 0; i < literal; i++) out[firstByte + stride * written++] = segment[read++];
    } else if (header > 128) {
      const run = 257 - header;
      if (read >= segment.length || written + run > pixelCount) break;
      const value = segment[read++];
      for (let i = 0; i < run; i++) out[firstByte + stride * written++] = value;
    }
  }
  if (written !== pixelCount) {
    throw corrupt(`RLE segment ${segmentNumber} decodes to ${written} of ${pixelCount} samples`);
  }
}

export function encodeRleFrame(raw: Uint8Array, format: FrameFormat): Uint8Array {
  if (raw.length !== bytesPerFrame(format)) throw new Error(`RLE encoder given ${raw.length} bytes for a ${bytesPerFrame(format)}-byte frame`);
  const planes = format.bitsAllocated / 8;
  const segments: Uint8Array[] = [];
  for (let plane = 0; plane < planes; plane++) {
    const bytes = new Uint8Array(format.width * format.height);
    const sourceByte = planes - 1 - plane;
    for (let i = 0; i < bytes.length; i++) bytes[i] = raw[i * planes + sourceByte];
    segments.push(packRows(bytes, format.width));
  }
  const total = HEADER_BYTES + segments.reduce((sum, s) => sum + s.length, 0);
  const out = new Uint8Array(total);
  const header = new DataView(out.buffer);
  header.setUint32(0, planes, true);
  let offset = HEADER_BYTES;
  segments.forEach((segment, i) => {
    header.setUint32(4 + 4 * i, offset, true);
    out.set(segment, offset);
    offset += segment.length;
  });
  return out;
}

/** PackBits, one image row at a time (Annex G: runs never cross a row), padded to an even length. */
function packRows(bytes: Uint8Array, width: number): Uint8Array {
  const out: number[] = [];
  for (let rowStart = 0; rowStart < bytes.length; rowStart += width) {
    const rowEnd = rowStart + width;
    let i = rowStart;
    while (i < rowEnd) {
      let run = 1;
      while (i + run < rowEnd && run < 128 && bytes[i + run] === bytes[i]) run++;
      if (run >= 2) {
        out.push(257 - run, bytes[i]);
        i += run;
        continue;
      }
      const literalStart = i;
      while (i < rowEnd && i - literalStart < 128 && !(i + 1 < rowEnd && bytes[i + 1] === bytes[i])) i++;
      out.push(i - literalStart - 1);
      for (let j = literalStart; j < i; j++) out.push(bytes[j]);
    }
  }
  if (out.length % 2) out.push(128);
  return Uint8Array.from(out);
}

function corrupt(message: string): DicomError {
  return new DicomError('CORRUPT_PIXEL_DATA', message);
}
