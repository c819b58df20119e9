import * as dcmjs from 'dcmjs';
import { TRANSFER_SYNTAXES } from '@bonescan/dicom';
import type { DicomJson } from './stored-studies';

/**
 * What WADO-RS serves from a stored original beyond the object itself: its attributes in the DICOM JSON
 * model (the metadata viewers read first) and its frames, as stored, for the viewer to decode.
 */
type Element = { vr: string; Value?: unknown[]; InlineBinary?: string; _rawValue?: unknown };
type Dataset = Record<string, Element>;
interface ReadFile {
  meta: Dataset;
  dict: Dataset;
}
// The dicom package's dcmjs typing covers writing only; reading is typed here.
const { DicomMessage } = dcmjs.data as unknown as {
  DicomMessage: { readFile(buffer: ArrayBuffer, options?: { untilTag?: string; includeUntilTagValue?: boolean }): ReadFile };
};
(dcmjs.log as unknown as { getLogger(name: string): { setLevel(level: string): void } }).getLogger('validation.dcmjs').setLevel('silent');

const BINARY_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'UN']);
const PIXEL_DATA = '7FE00010';
const NATIVE_SYNTAXES = new Set<string>([
  TRANSFER_SYNTAXES['implicit-le'].uid,
  TRANSFER_SYNTAXES['explicit-le'].uid,
  TRANSFER_SYNTAXES['explicit-be'].uid,
  TRANSFER_SYNTAXES.deflated.uid,
]);
/** Media types of compressed frames (PS3.18 Table 8.7.3-2); RLE and anything else travel as octet-stream. */
const FRAME_MEDIA_TYPES: Record<string, string> = {
  [TRANSFER_SYNTAXES['jpeg-baseline'].uid]: 'image/jpeg',
  [TRANSFER_SYNTAXES['jpeg-lossless'].uid]: 'image/jpeg',
  [TRANSFER_SYNTAXES['jpeg-ls-lossless'].uid]: 'image/jls',
  [TRANSFER_SYNTAXES['jpeg-ls-near-lossless'].uid]: 'image/jls',
  [TRANSFER_SYNTAXES['jpeg2000-lossless'].uid]: 'image/jp2',
  [TRANSFER_SYNTAXES.jpeg2000.uid]: 'image/jp2',
};

export class FrameNotFoundError extends Error {}

function read(bytes: Uint8Array, withPixels: boolean): ReadFile {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return DicomMessage.readFile(buffer, withPixels ? {} : { untilTag: PIXEL_DATA, includeUntilTagValue: false });
}

/** dcmjs's dataset in the DICOM JSON model: binary values inline as base64, sequences recursively. */
function toDicomJson(dataset: Dataset): DicomJson {
  const json: DicomJson = {};
  for (const [tag, element] of Object.entries(dataset)) {
    if (tag === PIXEL_DATA) continue;
    if (BINARY_VRS.has(element.vr)) {
      const value = element.Value?.[0];
      json[tag] = value instanceof ArrayBuffer ? ({ vr: element.vr, InlineBinary: Buffer.from(value).toString('base64') } as never) : { vr: element.vr };
    } else if (element.vr === 'SQ') {
      json[tag] = { vr: 'SQ', Value: (element.Value ?? []).map((item) => toDicomJson(item as Dataset)) };
    } else {
      json[tag] = element.Value?.length ? { vr: element.vr, Value: element.Value } : { vr: element.vr };
    }
  }
  return json;
}

export function instanceMetadata(bytes: Uint8Array): DicomJson {
  const file = read(bytes, false);
  const transferSyntaxUid = file.meta['00020010']?.Value?.[0];
  return { ...toDicomJson(file.dict), ...(transferSyntaxUid ? { '00083002': { vr: 'UI', Value: [transferSyntaxUid] } } : {}) };
}

/** The requested frames (1-based) as stored: raw little-endian samples, or each compressed frame's bitstream. */
export function instanceFrames(bytes: Uint8Array, frameNumbers: number[]): { contentType: string; frames: Uint8Array[] } {
  const file = read(bytes, true);
  const transferSyntaxUid = String(file.meta['00020010']?.Value?.[0] ?? '');
  const fragments = (file.dict[PIXEL_DATA]?.Value ?? []) as ArrayBuffer[];
  const numberOfFrames = Number(file.dict['00280008']?.Value?.[0] ?? 1);
  const missing = frameNumbers.find((n) => !Number.isInteger(n) || n < 1 || n > numberOfFrames);
  if (missing !== undefined) throw new FrameNotFoundError(`frame ${missing} does not exist: the instance has ${numberOfFrames}`);
  if (NATIVE_SYNTAXES.has(transferSyntaxUid)) {
    const all = new Uint8Array(Buffer.concat(fragments.map((f) => new Uint8Array(f))));
    // Frames travel little-endian (PS3.18 8.7.3.3); dcmjs leaves big-endian samples as they were stored.
    if (transferSyntaxUid === TRANSFER_SYNTAXES['explicit-be'].uid && Number(file.dict['00280100']?.Value?.[0]) === 16)
      Buffer.from(all.buffer, all.byteOffset, all.byteLength).swap16();
    const size = all.byteLength / numberOfFrames;
    return {
      contentType: `application/octet-stream; transfer-syntax=${TRANSFER_SYNTAXES['explicit-le'].uid}`,
      frames: frameNumbers.map((n) => all.subarray((n - 1) * size, n * size)),
    };
  }
  if (fragments.length !== numberOfFrames)
    throw new FrameNotFoundError(`the instance stores ${fragments.length} fragments for ${numberOfFrames} frames; retrieve the whole instance instead`);
  const mediaType = FRAME_MEDIA_TYPES[transferSyntaxUid] ?? 'application/octet-stream';
  return { contentType: `${mediaType}; transfer-syntax=${transferSyntaxUid}`, frames: frameNumbers.map((n) => new Uint8Array(fragments[n - 1])) };
}
