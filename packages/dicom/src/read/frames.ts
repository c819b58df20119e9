import type { DataSet, Element, Fragment } from 'dicom-parser';
import { decodeRleFrame } from '../codecs/rle';
import { decodeNativeFrame, isNativeSyntax } from '../codecs/native';
import { bytesPerFrame } from '../codecs/frame';
import { concatBytes, swapBytePairs } from '../bytes';
import { DicomError } from '../errors';
import type { TransferSyntaxName } from '../transfer-syntaxes';
import type { ImagePixel } from './image-pixel';

/** Every frame of the object as little-endian samples, whatever the transfer syntax. */
export function decodeFrames(dataSet: DataSet, syntax: TransferSyntaxName, image: ImagePixel): Uint8Array[] {
  const element = dataSet.elements.x7fe00010;
  if (element.encapsulatedPixelData) return encapsulatedFrames(dataSet, element, image).map((frame) => decodeCompressed(syntax, frame, image));
  if (syntax !== 'implicit-le' && syntax !== 'explicit-le' && syntax !== 'explicit-be' && syntax !== 'deflated') {
    throw new DicomError('CORRUPT_PIXEL_DATA', `transfer syntax ${syntax} requires encapsulated pixel data, but Pixel Data has a defined length`);
  }
  return nativeFrames(dataSet, element, image, syntax === 'explicit-be');
}

function decodeCompressed(syntax: TransferSyntaxName, frame: Uint8Array, image: ImagePixel): Uint8Array {
  if (syntax === 'rle') return decodeRleFrame(frame, image);
  if (isNativeSyntax(syntax)) return decodeNativeFrame(syntax, frame, image);
  throw new DicomError('CORRUPT_PIXEL_DATA', `transfer syntax ${syntax} must not have encapsulated pixel data`);
}

function nativeFrames(dataSet: DataSet, element: Element, image: ImagePixel, bigEndian: boolean): Uint8Array[] {
  const frameBytes = bytesPerFrame(image);
  const needed = frameBytes * image.frames;
  // Exactly what the header describes (plus the pad byte that makes an odd length even): more bytes than that
  // mean the header misdescribes them (16-bit samples under an 8-bit header), and decoding would read garbage.
  if (element.length !== needed && element.length !== needed + (needed % 2)) {
    throw new DicomError(
      'CORRUPT_PIXEL_DATA',
      `Pixel Data holds ${element.length} bytes; ${image.frames} frame(s) of ${image.width}×${image.height}×${image.bitsAllocated} bits need exactly ${needed}: the header does not describe the pixels`,
    );
  }
  return Array.from({ length: image.frames }, (_, i) => {
    const frame = dataSet.byteArray.subarray(element.dataOffset + i * frameBytes, element.dataOffset + (i + 1) * frameBytes);
    return bigEndian && image.bitsAllocated === 16 ? swapBytePairs(frame) : frame;
  });
}

/** Splits encapsulated fragments into frames: by the Basic Offset Table, one fragment per frame, or all in one frame. */
function encapsulatedFrames(dataSet: DataSet, element: Element, image: ImagePixel): Uint8Array[] {
  const fragments = element.fragments ?? [];
  const size = dataSet.byteArray.length;
  for (const fragment of fragments) {
    if (fragment.position + fragment.length > size)
      throw new DicomError('TRUNCATED', `pixel data fragment at ${fragment.position} runs past the end of the file`);
  }
  if (fragments.length === 0) throw new DicomError('CORRUPT_PIXEL_DATA', 'encapsulated Pixel Data has no fragments');
  const table = element.basicOffsetTable ?? [];
  let groups: Fragment[][];
  if (table.length === image.frames && image.frames > 1) {
    groups = table.map((start, i) => fragments.filter((f) => f.offset >= start && (i + 1 === table.length || f.offset < table[i + 1])));
  } else if (fragments.length === image.frames) {
    groups = fragments.map((fragment) => [fragment]);
  } else if (image.frames === 1) {
    groups = [fragments];
  } else {
    throw new DicomError('CORRUPT_PIXEL_DATA', `${fragments.length} fragments cannot be split into ${image.frames} frames without a Basic Offset Table`);
  }
  return groups.map((group, i) => {
    if (group.length === 0) throw new DicomError('CORRUPT_PIXEL_DATA', `frame ${i + 1} has no fragments`);
    return joinFragments(dataSet.byteArray, group);
  });
}

function joinFragments(bytes: Uint8Array, group: Fragment[]): Uint8Array {
  const parts = group.map((f) => bytes.subarray(f.position, f.position + f.length));
  return parts.length === 1 ? parts[0] : concatBytes(parts);
}
